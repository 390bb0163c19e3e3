package io.jenkins.plugins.kubeplatform.engine.expose;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What exposeApp did (EXP-9).
 *
 * @param host       the claimed host
 * @param url        {@code http(s)://host/}
 * @param owner      the host's owner
 * @param service    the Service name
 * @param route      ingress, httproute or none
 * @param routeName  the route object's name, empty for none
 * @param address    the entry point the route was admitted with (load balancer IP or host, or the nginx listen address)
 * @param nginxBlock the server block file, if nginx mode is on
 * @param verifyStatus HTTP status of the verification request, if one was made
 * @param changes    one line per change; empty when nothing had to change
 */
public record ExposeResult(String host, String url, Owner owner, String namespace, String service, String route,
        String routeName, Optional<String> address, Optional<String> nginxBlock, Optional<Integer> verifyStatus,
        List<String> changes) {

    /** The kind of this result's document. */
    public static final String KIND = "Expose";

    /** The CLI's {@code -o json} document and the build's {@code api/json} result (docs/cli.md). */
    public com.fasterxml.jackson.databind.node.ObjectNode document() {
        return io.jenkins.plugins.kubeplatform.engine.core.ResultDocument.tree(KIND, toMap());
    }

    /** For the Jenkins step's return value and JSON output: plain strings, numbers and lists. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("host", host);
        m.put("url", url);
        m.put("namespace", namespace);
        m.put("app", owner.app());
        m.put("owner", owner.namespace() + "/" + owner.app());
        m.put("service", service);
        m.put("route", route);
        m.put("routeName", routeName);
        address.ifPresent(a -> m.put("address", a));
        nginxBlock.ifPresent(b -> m.put("nginxBlock", b));
        verifyStatus.ifPresent(s -> m.put("verifyStatus", s));
        m.put("changed", !changes.isEmpty());
        m.put("changes", List.copyOf(changes));
        return m;
    }
}
