package io.jenkins.plugins.kubeplatform.engine.expose;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Builds a host's nginx configuration from what the cluster says: endpoints, owner and TLS Secret (EXP-10). */
final class NginxBlocks {

    static final String TLS_TYPE = "kubernetes.io/tls";

    private NginxBlocks() {
    }

    static NginxServerBlock block(NginxSites nginx, String host, Owner owner, String requestedBy, List<String> servers,
            Optional<NginxServerBlock.Tls> tls) {
        return new NginxServerBlock(host, servers, nginx.listeners(), owner, requestedBy, tls);
    }

    /**
     * The host's certificate: from the TLS Secret {@code namespace/secretName} when it exists and is valid, else
     * the configured files, else none. A Secret that is not a valid TLS Secret is reported and skipped.
     */
    static Optional<NginxServerBlock.Tls> tls(KubernetesClient client, ApiRetry retry, NginxSites nginx, String host,
            String namespace, Optional<String> secretName, Progress progress) {
        if (nginx.settings().https().isEmpty()) {
            return Optional.empty();
        }
        if (secretName.isPresent()) {
            Secret secret = retry.call("read TLS Secret " + namespace + "/" + secretName.get(),
                    () -> client.secrets().inNamespace(namespace).withName(secretName.get()).get());
            if (secret != null) {
                try {
                    return Optional.of(material(nginx, host, secret));
                } catch (InvalidInputException e) {
                    progress.warn("not using Secret " + namespace + "/" + secretName.get() + " for " + host + ": "
                            + e.getMessage());
                }
            }
        }
        return nginx.configuredCertificate();
    }

    static NginxServerBlock.Tls.Material material(NginxSites nginx, String host, Secret secret) {
        String source = secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
        if (!TLS_TYPE.equals(secret.getType())) {
            throw new InvalidInputException("Secret " + source, "must be of type " + TLS_TYPE + "; it is "
                    + secret.getType());
        }
        return new NginxServerBlock.Tls.Material(nginx.certificateFile(host), nginx.keyFile(host),
                data(secret, "tls.crt"), data(secret, "tls.key"), source);
    }

    private static String data(Secret secret, String key) {
        if (secret.getData() != null && secret.getData().get(key) != null) {
            try {
                return new String(Base64.getDecoder().decode(secret.getData().get(key).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
        return secret.getStringData() == null ? "" : secret.getStringData().getOrDefault(key, "");
    }
}
