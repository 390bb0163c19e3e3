package io.jenkins.plugins.kubeplatform.sim.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
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
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulated cluster behind the authenticating TLS front, reached with each kind of Kubernetes credential. */
class AuthenticatingFrontTest {

    static SimulatedCluster sim;
    static SimCertificates certificates;
    static AuthenticatingFront front;

    @BeforeAll
    static void start() {
        sim = SimulatedCluster.start(SimOptions.builder().builtInControllers(false).build());
        certificates = new SimCertificates();
        front = AuthenticatingFront.start(sim.url(), new SimAuthenticator()
                .token("t0ken-deployer", "system:serviceaccount:ci:deployer", List.of("system:serviceaccounts"))
                .password("alice", "s3cret", List.of("ops")), certificates);
    }

    @AfterAll
    static void stop() {
        front.close();
        sim.close();
    }

    private static KubernetesClient client(UnaryOperator<ConfigBuilder> credential) {
        ConfigBuilder builder = new ConfigBuilder(Config.empty()).withMasterUrl(front.url())
                .withCaCertData(b64(front.caPem())).withRequestRetryBackoffLimit(0);
        return new KubernetesClientBuilder().withConfig(credential.apply(builder).build()).build();
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static UserInfo lastUser() {
        List<UserInfo> users = front.authenticated();
        return users.get(users.size() - 1);
    }

    @Test
    void authenticatesABearerTokenAsItsServiceAccount() {
        try (KubernetesClient client = client(b -> b.withOauthToken("t0ken-deployer"))) {
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("by-token").endMetadata().addToData("k", "v").build()).create();

            assertThat(lastUser()).isEqualTo(new UserInfo("system:serviceaccount:ci:deployer",
                    List.of("system:serviceaccounts", "system:authenticated")));
        }
        assertThat(sim.client().configMaps().inNamespace("default").withName("by-token").get()).isNotNull();
    }

    @Test
    void authenticatesUsernameAndPassword() {
        try (KubernetesClient client = client(b -> b.withUsername("alice").withPassword("s3cret"))) {
            client.namespaces().list();

            assertThat(lastUser()).isEqualTo(new UserInfo("alice", List.of("ops", "system:authenticated")));
        }
    }

    @Test
    void authenticatesAClientCertificateAsItsCommonNameAndOrganizations() {
        SimCertificates.Issued cert = certificates.client("jenkins", List.of("platform", "deployers"));
        try (KubernetesClient client = client(b -> b.withClientCertData(b64(cert.certificatePem()))
                .withClientKeyData(b64(cert.keyPem())).withClientKeyAlgo("RSA"))) {
            client.nodes().list();

            assertThat(lastUser()).isEqualTo(new UserInfo("jenkins",
                    List.of("platform", "deployers", "system:authenticated")));
        }
    }

    @Test
    void answers401ForAnUnknownTokenOrAWrongPassword() {
        try (KubernetesClient client = client(b -> b.withOauthToken("guessed"))) {
            assertThatThrownBy(() -> client.namespaces().list()).isInstanceOf(KubernetesClientException.class)
                    .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(401));
        }
        try (KubernetesClient client = client(b -> b.withUsername("alice").withPassword("wrong"))) {
            assertThatThrownBy(() -> client.namespaces().list()).isInstanceOf(KubernetesClientException.class)
                    .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(401));
        }
    }

    @Test
    void refusesTheConnectionWhenTheClientDoesNotTrustTheClusterCa() {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(front.url()).withOauthToken("t0ken-deployer")
                .withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            assertThatThrownBy(() -> client.namespaces().list()).isInstanceOf(KubernetesClientException.class);
        }
    }

    @Test
    void passesWatchesThroughOnceAuthenticated() throws Exception {
        sim.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("watched").endMetadata().build()).create();
        try (KubernetesClient client = client(b -> b.withOauthToken("t0ken-deployer"))) {
            var seen = client.configMaps().inNamespace("watched")
                    .informOnCondition(list -> list.stream().anyMatch(c -> c.getMetadata().getName().equals("w")));
            sim.client().configMaps().inNamespace("watched").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("w").endMetadata().build()).create();

            assertThat(seen.get(30, java.util.concurrent.TimeUnit.SECONDS)).isNotEmpty();
        }
    }
}
