package io.jenkins.plugins.kubeplatform.sim.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Authentication and RBAC authorization share one identity source: service account token Secrets (filled by the
 * token controller), TokenRequest tokens, client certificates and passwords through the TLS front all authenticate as
 * the user RBAC then decides on; unknown credentials are 401.
 */
class OneIdentitySourceTest {

    static SimulatedCluster sim;
    static KubernetesClient admin;
    static SimCertificates certificates;
    static AuthenticatingFront front;

    @BeforeAll
    static void start() {
        sim = SimulatedCluster.start(SimOptions.builder().nodes(0).rbac(true).build());
        admin = sim.newClient(sim.tokens().user("admin", "system:masters"));
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("ci").endMetadata().build())
                .create();
        admin.serviceAccounts().inNamespace("ci").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("builder").endMetadata().build()).create();
        certificates = new SimCertificates();
        front = sim.authenticatingFront(certificates);
    }

    @AfterAll
    static void stop() {
        front.close();
        admin.close();
        sim.close();
    }

    private static void bindViewToGroupOrUser(String kind, String name) {
        admin.rbac().roleBindings().inNamespace("ci").resource(new RoleBindingBuilder().withNewMetadata()
                .withName("view-" + name.replace(':', '-')).endMetadata().withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("sim-view").endRoleRef()
                .addNewSubject().withKind(kind).withName(name).endSubject().build()).create();
    }

    private static String forbiddenUser(KubernetesClient client, String namespace) {
        try {
            client.configMaps().inNamespace(namespace).list();
        } catch (KubernetesClientException e) {
            assertThat(e.getCode()).isEqualTo(403);
            return e.getStatus().getMessage();
        }
        throw new AssertionError("listing configmaps in " + namespace + " was allowed");
    }

    private static KubernetesClient viaFront(UnaryOperator<ConfigBuilder> credential) {
        ConfigBuilder builder = new ConfigBuilder(Config.empty()).withMasterUrl(front.url())
                .withCaCertData(b64(front.caPem())).withRequestRetryBackoffLimit(0);
        return new KubernetesClientBuilder().withConfig(credential.apply(builder).build()).build();
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void authenticatesATokenSecretAsItsServiceAccountUntilTheSecretIsDeleted() {
        admin.rbac().clusterRoles().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder()
                .withNewMetadata().withName("sim-view").endMetadata().addNewRule().withApiGroups("")
                .withResources("configmaps").withVerbs("list").endRule().build()).createOr(r -> r.update());
        admin.secrets().inNamespace("ci").resource(new SecretBuilder().withNewMetadata().withName("builder-token")
                .withAnnotations(Map.of("kubernetes.io/service-account.name", "builder")).endMetadata()
                .withType("kubernetes.io/service-account-token").build()).create();

        Secret filled = admin.secrets().inNamespace("ci").withName("builder-token")
                .waitUntilCondition(s -> s.getData() != null && s.getData().containsKey("token"), 30, TimeUnit.SECONDS);
        String token = new String(Base64.getDecoder().decode(filled.getData().get("token")), StandardCharsets.UTF_8);
        assertThat(new String(Base64.getDecoder().decode(filled.getData().get("namespace")), StandardCharsets.UTF_8))
                .isEqualTo("ci");
        assertThat(filled.getMetadata().getAnnotations()).containsEntry("kubernetes.io/service-account.uid",
                admin.serviceAccounts().inNamespace("ci").withName("builder").get().getMetadata().getUid());

        try (KubernetesClient plain = sim.newClient(token);
             KubernetesClient tls = viaFront(b -> b.withOauthToken(token))) {
            assertThat(forbiddenUser(plain, "ci")).isEqualTo("configmaps is forbidden: User "
                    + "\"system:serviceaccount:ci:builder\" cannot list resource \"configmaps\" in API group \"\" in "
                    + "the namespace \"ci\"");
            assertThat(forbiddenUser(tls, "ci")).contains("User \"system:serviceaccount:ci:builder\"");

            bindViewToGroupOrUser("Group", "system:serviceaccounts:ci");

            assertThat(plain.configMaps().inNamespace("ci").list().getItems()).isNotNull();
            assertThat(tls.configMaps().inNamespace("ci").list().getItems()).isNotNull();

            admin.secrets().inNamespace("ci").withName("builder-token").delete();
            assertThatThrownBy(() -> plain.configMaps().inNamespace("ci").list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
        }
    }

    @Test
    void authenticatesATokenRequestTokenAsTheServiceAccountWithItsGroups() {
        String token = admin.serviceAccounts().inNamespace("ci").withName("builder").tokenRequest(
                new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L).endSpec().build())
                .getStatus().getToken();

        try (KubernetesClient client = sim.newClient(token)) {
            assertThat(forbiddenUser(client, "default")).isEqualTo("configmaps is forbidden: User "
                    + "\"system:serviceaccount:ci:builder\" cannot list resource \"configmaps\" in API group \"\" in "
                    + "the namespace \"default\"");
        }
    }

    @Test
    void authorizesTheUserAndGroupsOfAClientCertificateAndOfBasicCredentials() {
        admin.rbac().clusterRoles().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder()
                .withNewMetadata().withName("sim-view").endMetadata().addNewRule().withApiGroups("")
                .withResources("configmaps").withVerbs("list").endRule().build()).createOr(r -> r.update());
        SimCertificates.Issued cert = certificates.client("jenkins", List.of("platform-team"));
        sim.tokens().password("alice", "s3cret", List.of("ops"));

        try (KubernetesClient byCert = viaFront(b -> b.withClientCertData(b64(cert.certificatePem()))
                .withClientKeyData(b64(cert.keyPem())));
             KubernetesClient byPassword = viaFront(b -> b.withUsername("alice").withPassword("s3cret"))) {
            assertThat(forbiddenUser(byCert, "ci")).contains("User \"jenkins\" cannot list");
            assertThat(forbiddenUser(byPassword, "ci")).contains("User \"alice\" cannot list");

            bindViewToGroupOrUser("Group", "platform-team");
            bindViewToGroupOrUser("User", "alice");

            assertThat(byCert.configMaps().inNamespace("ci").list().getItems()).isNotNull();
            assertThat(byPassword.configMaps().inNamespace("ci").list().getItems()).isNotNull();
        }
    }

    @Test
    void answers401ForUnknownCredentialsOnBothEndpoints() {
        try (KubernetesClient plain = sim.newClient("sim-sa-forged");
             KubernetesClient tls = viaFront(b -> b.withOauthToken("sim-sa-forged"));
             KubernetesClient wrongPassword = viaFront(b -> b.withUsername("alice").withPassword("guess"))) {
            for (KubernetesClient c : List.of(plain, tls, wrongPassword)) {
                assertThatThrownBy(() -> c.configMaps().inNamespace("ci").list())
                        .isInstanceOfSatisfying(KubernetesClientException.class,
                                e -> assertThat(e.getCode()).isEqualTo(401));
            }
        }
    }

    @Test
    void ignoresFrontProxyHeadersThatDoNotComeFromTheFront() {
        String token = sim.tokens().user("mallory");
        try (KubernetesClient spoofing = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(sim.url()).withOauthToken(token).withRequestRetryBackoffLimit(0)
                .withCustomHeaders(Map.of(AuthenticatingFront.USER_HEADER, "admin",
                        AuthenticatingFront.GROUP_HEADER, "system:masters",
                        AuthenticatingFront.PROXY_HEADER, "guessed")).build()).build()) {
            assertThat(forbiddenUser(spoofing, "ci")).contains("User \"mallory\"");
        }
    }
}
