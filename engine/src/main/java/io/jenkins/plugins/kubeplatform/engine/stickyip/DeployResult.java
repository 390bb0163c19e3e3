package io.jenkins.plugins.kubeplatform.engine.stickyip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a deploy did (SIP-11): each identity with its address and node, the image (with its digest when known) and
 * the Service name.
 *
 * @param changed whether anything was written to the cluster
 */
public record DeployResult(String namespace, String name, String service, String image, Optional<String> imageDigest,
                           String pool, List<IdentityResult> identities, List<String> removed, boolean changed) {

    public DeployResult {
        identities = List.copyOf(identities);
        removed = List.copyOf(removed);
    }

    /** One identity after the deploy; {@code ip} is its address, both of a dual-stack identity comma-separated. */
    public record IdentityResult(String identity, String ip, String node, String pod) {
    }

    /** The step's return value: plain maps and lists, usable from Pipeline script. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("namespace", namespace);
        map.put("name", name);
        map.put("service", service);
        map.put("image", image);
        map.put("imageDigest", imageDigest.orElse(null));
        map.put("pool", pool);
        List<Map<String, Object>> ids = new ArrayList<>();
        for (IdentityResult r : identities) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("identity", r.identity());
            String[] all = r.ip() == null ? new String[0] : r.ip().split(",");
            m.put("ip", all.length == 0 ? null : all[0]);
            if (all.length > 1) {
                m.put("ips", new ArrayList<>(List.of(all))); // dual-stack: IPv4 first
            }
            m.put("node", r.node());
            m.put("pod", r.pod());
            ids.add(m);
        }
        map.put("identities", ids);
        map.put("removed", new ArrayList<>(removed));
        map.put("changed", changed);
        return map;
    }

    /** The kind of this result's document. */
    public static final String KIND = "StickyDeploy";

    /** The CLI's {@code -o json} document and the build's {@code api/json} result (docs/cli.md). */
    public com.fasterxml.jackson.databind.node.ObjectNode document() {
        return io.jenkins.plugins.kubeplatform.engine.core.ResultDocument.tree(KIND, toMap());
    }

    /** The address of each identity, in ordinal order. */
    public List<String> ips() {
        return identities.stream().map(IdentityResult::ip).toList();
    }
}
