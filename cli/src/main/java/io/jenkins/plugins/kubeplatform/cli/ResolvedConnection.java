package io.jenkins.plugins.kubeplatform.cli;

import io.fabric8.kubernetes.client.Config;
import java.util.Optional;

/**
 * Where the CLI talks to, and why: the fabric8 configuration plus a description of its source for messages.
 *
 * @param config    the resolved fabric8 configuration (server, credentials, TLS, namespace)
 * @param source    where it came from, e.g. {@code context 'alpha' of /home/u/.kube/config}
 * @param context   the kubeconfig context, if a kubeconfig was used
 * @param namespace the namespace commands act in unless told otherwise
 */
public record ResolvedConnection(Config config, String source, Optional<String> context, String namespace) {

    /** The API server URL without a trailing slash. */
    public String server() {
        String url = config.getMasterUrl();
        return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** One line for progress output; never contains a credential. */
    public String describe() {
        return server() + " (" + source + ", namespace " + namespace + ")";
    }
}
