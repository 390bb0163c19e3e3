package io.jenkins.plugins.kubeplatform.sim.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RbacPolicyTest {

    private static final String RULES = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: kubeplatform-example
            rules:
              - apiGroups: [""]
                resources: [pods]
                verbs: [get, list, watch]
              - apiGroups: [""]
                resources: [pods/eviction]
                verbs: [create]
              - apiGroups: [apps]
                resources: [deployments]
                verbs: [create, update]
              - apiGroups: [""]
                resources: [configmaps]
                resourceNames: [ledger]
                verbs: [get]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: ignored
            """;

    @TempDir
    Path dir;

    private RbacPolicy policy() throws IOException {
        Path file = dir.resolve("rbac.yaml");
        Files.writeString(file, RULES);
        return RbacPolicy.load(file);
    }

    private static ResourceRequest http(String method, String path) {
        return ResourceRequest.fromHttp(method, path).orElseThrow();
    }

    @Test
    void mapsHttpRequestsToRbacVerbsAndResources() {
        assertThat(http("GET", "/api/v1/namespaces/ns/pods")).isEqualTo(
                new ResourceRequest("list", "", "pods", "", "ns", ""));
        assertThat(http("GET", "/api/v1/namespaces/ns/pods?watch=true&resourceVersion=5").verb()).isEqualTo("watch");
        assertThat(http("GET", "/api/v1/nodes/n1")).isEqualTo(new ResourceRequest("get", "", "nodes", "", "", "n1"));
        assertThat(http("POST", "/api/v1/namespaces/ns/pods/p1/eviction")).isEqualTo(
                new ResourceRequest("create", "", "pods", "eviction", "ns", "p1"));
        assertThat(http("PATCH", "/apis/apps/v1/namespaces/ns/deployments/d").apiGroup()).isEqualTo("apps");
        assertThat(http("DELETE", "/api/v1/namespaces/ns/pods").verb()).isEqualTo("deletecollection");
        assertThat(http("GET", "/api/v1/namespaces/ns")).isEqualTo(
                new ResourceRequest("get", "", "namespaces", "", "ns", "ns"));
    }

    @Test
    void ignoresDiscoveryAndVersionPaths() {
        assertThat(ResourceRequest.fromHttp("GET", "/version")).isEmpty();
        assertThat(ResourceRequest.fromHttp("GET", "/apis")).isEmpty();
        assertThat(ResourceRequest.fromHttp("GET", "/apis/apps/v1")).isEmpty();
    }

    @Test
    void allowsOnlyWhatTheRulesList() throws IOException {
        RbacPolicy policy = policy();

        assertThat(policy.allows("kubeplatform-example", http("GET", "/api/v1/namespaces/a/pods"))).isTrue();
        assertThat(policy.allows("kubeplatform-example", http("DELETE", "/api/v1/namespaces/a/pods/p"))).isFalse();
        assertThat(policy.allows("kubeplatform-example", http("POST", "/api/v1/namespaces/a/pods/p/eviction")))
                .isTrue();
        assertThat(policy.allows("kubeplatform-example", http("POST", "/apis/apps/v1/namespaces/a/deployments")))
                .isTrue();
        assertThat(policy.allows("kubeplatform-example", http("POST", "/apis/batch/v1/namespaces/a/jobs"))).isFalse();
    }

    @Test
    void honoursResourceNames() throws IOException {
        RbacPolicy policy = policy();

        assertThat(policy.allows("kubeplatform-example", http("GET", "/api/v1/namespaces/a/configmaps/ledger")))
                .isTrue();
        assertThat(policy.allows("kubeplatform-example", http("GET", "/api/v1/namespaces/a/configmaps/other")))
                .isFalse();
    }

    @Test
    void listsTheDeniedRequestsOnce() throws IOException {
        RbacPolicy policy = policy();

        assertThat(policy.denied("kubeplatform-example", List.of(
                http("DELETE", "/api/v1/namespaces/a/pods/p"),
                http("DELETE", "/api/v1/namespaces/a/pods/p"),
                http("GET", "/api/v1/namespaces/a/pods"))))
                .containsExactly(new ResourceRequest("delete", "", "pods", "", "a", "p"));
    }

    @Test
    void refusesAnUnknownRoleName() throws IOException {
        RbacPolicy policy = policy();

        assertThatThrownBy(() -> policy.allows("kubeplatform-nope", http("GET", "/api/v1/nodes")))
                .hasMessageContaining("kubeplatform-nope");
    }
}
