package io.jenkins.plugins.kubeplatform.engine.stickyip;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code kubernetes.io/dockerconfigjson} Secret that lets pods pull what the deploy pushed (SIP-14): one per
 * registry and namespace, named after the registry, labelled as ours, its content hashed so an unchanged credential
 * writes nothing.
 */
final class PullSecrets {

    static final String TYPE = "kubernetes.io/dockerconfigjson";
    static final String KEY = ".dockerconfigjson";
    /** The registry the Secret is for, so an operator can tell the pull secrets apart. */
    static final String REGISTRY = "kubeplatform.jenkins.io/registry";

    private PullSecrets() {
    }

    /** {@code kubeplatform-pull-<registry as a DNS label>}, at most 63 characters. */
    static String name(String registry) {
        String slug = registry.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        String name = "kubeplatform-pull-" + slug;
        if (name.length() > 63) {
            name = name.substring(0, 54).replaceAll("-+$", "") + "-" + WorkloadRenderer.hash(registry).substring(0, 8);
        }
        return name;
    }

    static Secret render(String namespace, PullCredentials c) {
        Map<String, Object> auth = new TreeMap<>();
        auth.put("username", c.username());
        auth.put("password", c.password());
        auth.put("auth", Base64.getEncoder().encodeToString((c.username() + ":" + c.password())
                .getBytes(StandardCharsets.UTF_8)));
        String json;
        try {
            json = Json.mapper().writeValueAsString(Map.of("auths", Map.of(c.registry(), auth)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write docker config", e);
        }
        Map<String, String> labels = new TreeMap<>();
        labels.put(StickyIpLabels.MANAGED_BY, StickyIpLabels.MANAGER);
        Secret base = new SecretBuilder()
                .withNewMetadata().withName(name(c.registry())).withNamespace(namespace).withLabels(labels)
                    .withAnnotations(new TreeMap<>(Map.of(REGISTRY, c.registry()))).endMetadata()
                .withType(TYPE)
                .withData(Map.of(KEY, Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))))
                .build();
        base.getMetadata().getAnnotations().put(StickyIpLabels.SPEC_HASH, WorkloadRenderer.hash(base));
        return base;
    }
}
