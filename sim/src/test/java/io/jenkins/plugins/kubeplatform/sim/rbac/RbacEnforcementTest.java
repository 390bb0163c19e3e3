package io.jenkins.plugins.kubeplatform.sim.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code SimOptions.rbac(true)}: the rules of docs/rbac.yaml bound to a service account allow exactly what they
 * name; without a rule the request is the API server's 403 naming verb, resource and namespace; an unknown token
 * is a 401.
 */
class RbacEnforcementTest {

    private static SimulatedCluster sim;
    private static KubernetesClient admin;

    @BeforeAll
    static void start() throws Exception {
        sim = SimulatedCluster.start(SimOptions.builder().builtInControllers(false).rbac(true).build());
        admin = sim.newClient(sim.tokens().user("admin", "system:masters"));
        for (String ns : List.of("ci", "shop")) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .create();
        }
        for (JsonNode doc : documents()) {
            String kind = doc.path("kind").asText();
            if (kind.equals("ClusterRole")) {
                ObjectNode copy = ((ObjectNode) doc).deepCopy();
                admin.resource(Serialization.unmarshal(copy.toString(), GenericKubernetesResource.class)).create();
            }
        }
    }

    @AfterAll
    static void stop() {
        admin.close();
        sim.close();
    }

    private static List<JsonNode> documents() throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(dir.resolve("docs/rbac.yaml"))) {
            dir = dir.getParent();
        }
        List<JsonNode> out = new ArrayList<>();
        new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
                .readValues(Files.readString(dir.resolve("docs/rbac.yaml"))).forEachRemaining(d -> {
                    if (d instanceof JsonNode n && n.isObject()) {
                        out.add(n);
                    }
                });
        return out;
    }

    /** Binds each ClusterRole: those named {@code *-cluster} cluster-wide, the others in the namespace shop. */
    private static KubernetesClient boundTo(String sa, String... roles) {
        for (String role : roles) {
            if (role.endsWith("-cluster")) {
                admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                        .withName(sa + "-" + role).endMetadata().withNewRoleRef()
                        .withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(role).endRoleRef()
                        .addNewSubject().withKind("ServiceAccount").withName(sa).withNamespace("ci").endSubject()
                        .build()).create();
            } else {
                admin.rbac().roleBindings().inNamespace("shop").resource(new RoleBindingBuilder().withNewMetadata()
                        .withName(sa + "-" + role).withNamespace("shop").endMetadata().withNewRoleRef()
                        .withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(role).endRoleRef()
                        .addNewSubject().withKind("ServiceAccount").withName(sa).withNamespace("ci").endSubject()
                        .build()).create();
            }
        }
        return sim.newClient(sim.tokens().serviceAccount("ci", sa));
    }

    @Test
    void allowsWhatTheBoundRulesNameAndForbidsTheRestWithTheRealMessage() {
        try (KubernetesClient expose = boundTo("exposer", "kubeplatform-exposeApp", "kubeplatform-exposeApp-claims")) {
            expose.services().inNamespace("shop").resource(new ServiceBuilder().withNewMetadata().withName("web")
                    .endMetadata().withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();
            expose.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("claim").endMetadata().build()).create();
            assertThat(expose.configMaps().inNamespace("shop").list().getItems()).hasSize(1);

            assertThatThrownBy(() -> expose.pods().inNamespace("shop").list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(403);
                        assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
                        assertThat(e.getStatus().getMessage()).isEqualTo("pods is forbidden: User "
                                + "\"system:serviceaccount:ci:exposer\" cannot list resource \"pods\" in API group "
                                + "\"\" in the namespace \"shop\"");
                    });
            assertThatThrownBy(() -> expose.services().inNamespace("shop").withName("web").delete())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getMessage())
                            .contains("services \"web\" is forbidden: User \"system:serviceaccount:ci:exposer\" "
                                    + "cannot delete resource \"services\" in API group \"\" in the namespace "
                                    + "\"shop\""));
            assertThat(expose.authorization().v1().selfSubjectAccessReview().create(
                    new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes().withVerb("create")
                            .withResource("configmaps").withNamespace("shop").endResourceAttributes().endSpec()
                            .build()).getStatus().getAllowed()).isTrue();
        }
    }

    @Test
    void forbidsARequestOnceTheRuleThatAllowedItIsRemoved() {
        try (KubernetesClient vm = boundTo("vms", "kubeplatform-provisionEdgeVm-cluster")) {
            assertThat(vm.nodes().list().getItems()).isNotEmpty();
            admin.rbac().clusterRoles().withName("kubeplatform-provisionEdgeVm-cluster").edit(r -> {
                r.getRules().removeIf(rule -> rule.getResources().contains("nodes"));
                return r;
            });

            assertThatThrownBy(() -> vm.nodes().list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(403);
                        assertThat(e.getStatus().getMessage()).isEqualTo("nodes is forbidden: User "
                                + "\"system:serviceaccount:ci:vms\" cannot list resource \"nodes\" in API group \"\" "
                                + "at the cluster scope");
                    });
        }
    }

    @Test
    void grantsTheRulesOfEveryClusterRoleTheCombinedRoleAggregates() {
        try (KubernetesClient combined = boundTo("all", "kubeplatform", "kubeplatform-cluster")) {
            assertThat(combined.nodes().list().getItems()).isNotEmpty();
            assertThat(combined.apps().deployments().inNamespace("shop").list().getItems()).isEmpty();
            assertThat(combined.configMaps().inNamespace("shop").list().getItems()).isNotNull();
            assertThatThrownBy(() -> combined.configMaps().inNamespace("ci").list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus()
                            .getMessage()).isEqualTo("configmaps is forbidden: User "
                            + "\"system:serviceaccount:ci:all\" cannot list resource \"configmaps\" in API group "
                            + "\"\" in the namespace \"ci\""));
            assertThatThrownBy(() -> combined.rbac().clusterRoles().list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        }
    }

    @Test
    void answers401ForAnUnknownToken() {
        try (KubernetesClient stranger = sim.newClient("not-a-token")) {
            assertThatThrownBy(() -> stranger.configMaps().inNamespace("shop").list())
                    .isInstanceOfSatisfying(KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(401));
        }
    }

    private static KubernetesClient as(KubernetesClient caller, String user, String... groups) {
        io.fabric8.kubernetes.client.ConfigBuilder config = new io.fabric8.kubernetes.client.ConfigBuilder(
                caller.getConfiguration()).withImpersonateUsername(user);
        if (groups.length > 0) {
            config.withImpersonateGroups(groups);
        }
        return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config.build()).build();
    }

    @Test
    void runsAnImpersonatedRequestWithTheImpersonatedServiceAccountsRules() {
        boundTo("impersonated", "kubeplatform-exposeApp").close();
        try (KubernetesClient asAccount = as(admin, "system:serviceaccount:ci:impersonated")) {
            asAccount.services().inNamespace("shop").resource(new ServiceBuilder().withNewMetadata()
                    .withName("via-as").endMetadata().withNewSpec().addNewPort().withPort(80).endPort().endSpec()
                    .build()).create();

            assertThat(admin.services().inNamespace("shop").withName("via-as").get()).isNotNull();
            assertThatThrownBy(() -> asAccount.pods().inNamespace("shop").list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(403);
                        assertThat(e.getStatus().getMessage()).isEqualTo("pods is forbidden: User "
                                + "\"system:serviceaccount:ci:impersonated\" cannot list resource \"pods\" in API "
                                + "group \"\" in the namespace \"shop\"");
                    });
        }
    }

    @Test
    void refusesImpersonationToACallerWithoutTheImpersonateVerbNamingWhatItMayNotImpersonate() throws Exception {
        try (KubernetesClient plain = boundTo("plain");
             KubernetesClient asUser = as(plain, "alice");
             KubernetesClient asAccount = as(plain, "system:serviceaccount:ci:impersonated");
             KubernetesClient asGroup = as(admin, "alice", "ops")) {
            assertThatThrownBy(() -> asUser.configMaps().inNamespace("shop").list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(403);
                        assertThat(e.getStatus().getMessage()).isEqualTo("users \"alice\" is forbidden: User "
                                + "\"system:serviceaccount:ci:plain\" cannot impersonate resource \"users\" in API "
                                + "group \"\" at the cluster scope");
                    });
            assertThatThrownBy(() -> asAccount.configMaps().inNamespace("shop").list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(
                            e.getStatus().getMessage()).isEqualTo("serviceaccounts \"impersonated\" is forbidden: "
                            + "User \"system:serviceaccount:ci:plain\" cannot impersonate resource "
                            + "\"serviceaccounts\" in API group \"\" in the namespace \"ci\""));
            // alice in group ops: allowed for system:masters, and the request runs as alice (no rule: 403 naming her)
            assertThatThrownBy(() -> asGroup.configMaps().inNamespace("shop").list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(
                            e.getStatus().getMessage()).isEqualTo("configmaps is forbidden: User \"alice\" cannot "
                            + "list resource \"configmaps\" in API group \"\" in the namespace \"shop\""));
            // a group without a user (the client libraries never send it; curl can)
            java.net.http.HttpResponse<String> groupsOnly = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(sim.url()
                                    + "/api/v1/namespaces/shop/configmaps"))
                            .header("Authorization", "Bearer " + sim.tokens().user("root", "system:masters"))
                            .header("Impersonate-Group", "ops").timeout(java.time.Duration.ofSeconds(20)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(groupsOnly.statusCode()).isEqualTo(500);
            assertThat(groupsOnly.body()).contains("requested groups [ops] without impersonating a user");
        }
    }

    @Test
    void allowsImpersonationGrantedByAClusterRoleOnUsers() {
        admin.rbac().clusterRoles().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder()
                .withNewMetadata().withName("impersonate-bob").endMetadata().addNewRule().withApiGroups("")
                .withResources("users").withVerbs("impersonate").withResourceNames("bob").endRule().build()).create();
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                .withName("granter-impersonates-bob").endMetadata().withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("impersonate-bob")
                .endRoleRef().addNewSubject().withKind("ServiceAccount").withName("granter").withNamespace("ci")
                .endSubject().build()).create();
        admin.rbac().roleBindings().inNamespace("shop").resource(new RoleBindingBuilder().withNewMetadata()
                .withName("bob-exposes").withNamespace("shop").endMetadata().withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("kubeplatform-exposeApp")
                .endRoleRef().addNewSubject().withKind("User").withName("bob")
                .withApiGroup("rbac.authorization.k8s.io").endSubject().build()).create();
        try (KubernetesClient granter = sim.newClient(sim.tokens().serviceAccount("ci", "granter"));
             KubernetesClient asBob = as(granter, "bob");
             KubernetesClient asCarol = as(granter, "carol")) {
            assertThatThrownBy(() -> granter.services().inNamespace("shop").list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode())
                            .isEqualTo(403));

            assertThat(asBob.services().inNamespace("shop").list().getItems()).isNotNull();
            assertThatThrownBy(() -> asCarol.services().inNamespace("shop").list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(
                            e.getStatus().getMessage()).startsWith("users \"carol\" is forbidden"));
        }
    }
}
