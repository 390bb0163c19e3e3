package io.jenkins.plugins.kubeplatform.sim.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.SimAnnotations;
import io.jenkins.plugins.kubeplatform.sim.SimOptions.RegistryLogin;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the kubelet can pull a container's image, the way containerd decides it: an image marked
 * {@link SimAnnotations#FAIL_PULL_IMAGE_MARKER} does not exist; a registry that requires a login serves the image only
 * when one of the pod's pull secrets ({@code spec.imagePullSecrets}; the ServiceAccount admission plugin copied its
 * service account's there at create) is a
 * {@code kubernetes.io/dockerconfigjson} Secret with that registry's username and password.
 */
final class ImagePulls {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final Map<String, RegistryLogin> logins;

    ImagePulls(KubernetesClient client, Map<String, RegistryLogin> logins) {
        this.client = client;
        this.logins = Map.copyOf(logins);
    }

    /** The kubelet's error message when the image cannot be pulled. */
    Optional<String> error(Pod pod, Container c) {
        String image = c.getImage() == null ? "" : c.getImage();
        if (image.contains(SimAnnotations.FAIL_PULL_IMAGE_MARKER)) {
            return Optional.of("rpc error: code = NotFound desc = failed to pull and unpack image \"" + image
                    + "\": failed to resolve reference \"" + image + "\": not found");
        }
        String registry = registryOf(image);
        RegistryLogin login = logins.get(registry);
        if (login == null || hasLogin(pod, registry, login)) {
            return Optional.empty();
        }
        return Optional.of("rpc error: code = Unknown desc = failed to pull and unpack image \"" + image
                + "\": failed to resolve reference \"" + image + "\": unexpected status from HEAD request to https://"
                + registry + "/v2/" + repository(image, registry) + "/manifests/" + reference(image) + ": 401 Unauthorized");
    }

    private boolean hasLogin(Pod pod, String registry, RegistryLogin login) {
        String ns = pod.getMetadata().getNamespace();
        List<LocalObjectReference> refs = new ArrayList<>();
        if (pod.getSpec().getImagePullSecrets() != null) {
            refs.addAll(pod.getSpec().getImagePullSecrets());
        }
        // the pod's own: its service account's were copied in by the ServiceAccount admission plugin at create
        for (LocalObjectReference ref : refs) {
            Secret secret = ref.getName() == null ? null : client.secrets().inNamespace(ns).withName(ref.getName()).get();
            if (secret != null && matches(secret, registry, login)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Secret secret, String registry, RegistryLogin login) {
        if (!"kubernetes.io/dockerconfigjson".equals(secret.getType()) || secret.getData() == null
                || secret.getData().get(".dockerconfigjson") == null) {
            return false;
        }
        try {
            JsonNode config = JSON.readTree(Base64.getDecoder().decode(secret.getData().get(".dockerconfigjson")));
            JsonNode entry = config.path("auths").path(registry);
            if (entry.isMissingNode()) {
                entry = config.path("auths").path("https://" + registry);
            }
            String user = entry.path("username").asText(null);
            String password = entry.path("password").asText(null);
            if ((user == null || password == null) && entry.hasNonNull("auth")) {
                String[] pair = new String(Base64.getDecoder().decode(entry.get("auth").asText()), StandardCharsets.UTF_8)
                        .split(":", 2);
                user = pair[0];
                password = pair.length > 1 ? pair[1] : "";
            }
            return login.username().equals(user) && login.password().equals(password);
        } catch (java.io.IOException | IllegalArgumentException e) {
            return false; // the kubelet skips a pull secret it cannot read
        }
    }

    static String registryOf(String image) {
        int slash = image.indexOf('/');
        if (slash > 0) {
            String first = image.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return first;
            }
        }
        return "docker.io";
    }

    private static String repository(String image, String registry) {
        String rest = image.startsWith(registry + "/") ? image.substring(registry.length() + 1) : image;
        int at = rest.indexOf('@');
        if (at >= 0) {
            return rest.substring(0, at);
        }
        int colon = rest.lastIndexOf(':');
        return colon > rest.lastIndexOf('/') ? rest.substring(0, colon) : rest;
    }

    private static String reference(String image) {
        int at = image.indexOf('@');
        if (at >= 0) {
            return image.substring(at + 1);
        }
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest";
    }
}
