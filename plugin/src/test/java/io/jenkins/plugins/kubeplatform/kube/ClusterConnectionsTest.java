package io.jenkins.plugins.kubeplatform.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudbees.plugins.credentials.common.StandardCertificateCredentials;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.util.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.kube.ClusterConnection;
import io.jenkins.plugins.kubeplatform.engine.kube.InClusterConnection;
import io.jenkins.plugins.kubeplatform.engine.kube.KubernetesClients;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import io.jenkins.plugins.kubeplatform.sim.auth.AuthenticatingFront;
import io.jenkins.plugins.kubeplatform.sim.auth.SimAuthenticator;
import io.jenkins.plugins.kubeplatform.sim.auth.SimCertificates;
import io.jenkins.plugins.kubeplatform.sim.auth.UserInfo;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of connection a Jenkins user has, against the simulated cluster behind its authenticating TLS front:
 * the Jenkins credential is mapped as a build would map it, the client connects, and the API server says who it is.
 */
class ClusterConnectionsTest {

    static SimulatedCluster sim;
    static SimCertificates certificates;
    static AuthenticatingFront front;

    @BeforeAll
    static void start() {
        sim = io.jenkins.plugins.kubeplatform.common.SimNamespaces.with(SimulatedCluster.start(SimOptions.builder().builtInControllers(false).build()));
        certificates = new SimCertificates();
        front = AuthenticatingFront.start(sim.url(), new SimAuthenticator()
                .token("deployer-token", "system:serviceaccount:ci:deployer", List.of("system:serviceaccounts"))
                .token("viewer-token", "system:serviceaccount:ci:viewer", List.of("system:serviceaccounts"))
                .password("alice", "s3cret", List.of("ops")), certificates);
    }

    @AfterAll
    static void stop() {
        front.close();
        sim.close();
    }

    private static ClusterConnectionConfig cluster(String credentialsId) {
        ClusterConnectionConfig config = new ClusterConnectionConfig("edge");
        config.setServerUrl(front.url());
        config.setCaCertificate(front.caPem());
        config.setCredentialsId(credentialsId);
        return config;
    }

    /** Connects, makes one request, and returns who the API server authenticated the request as. */
    private static UserInfo whoAmI(ClusterConnection connection) {
        try (KubernetesClient client = KubernetesClients.create(connection)) {
            int before = front.authenticated().size();
            client.namespaces().list();
            List<UserInfo> users = front.authenticated();
            assertThat(users).hasSizeGreaterThan(before);
            return users.get(users.size() - 1);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends StandardCredentials> T credential(Class<T> type, Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("toString")) {
                return type.getSimpleName();
            }
            if (!answers.containsKey(method.getName())) {
                throw new UnsupportedOperationException(method.getName());
            }
            return answers.get(method.getName());
        });
    }

    private static ClusterConnection connect(ClusterConnectionConfig config, StandardCredentials c) throws Exception {
        return config.toConnection(Optional.of(JenkinsClusters.toCredential(c, config)));
    }

    @Test
    void connectsWithABearerTokenFromASecretTextCredential() throws Exception {
        StringCredentials token = credential(StringCredentials.class,
                Map.of("getId", "deployer", "getSecret", Secret.fromString("deployer-token")));

        assertThat(whoAmI(connect(cluster("deployer"), token)).user()).isEqualTo("system:serviceaccount:ci:deployer");
    }

    @Test
    void connectsWithUsernameAndPassword() throws Exception {
        StandardUsernamePasswordCredentials alice = credential(StandardUsernamePasswordCredentials.class,
                Map.of("getId", "alice", "getUsername", "alice", "getPassword", Secret.fromString("s3cret")));

        assertThat(whoAmI(connect(cluster("alice"), alice))).isEqualTo(new UserInfo("alice",
                List.of("ops", "system:authenticated")));
    }

    @Test
    void connectsWithAClientCertificateFromACertificateCredential() throws Exception {
        SimCertificates.Issued issued = certificates.client("jenkins", List.of("platform"));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("jenkins", issued.key(), "changeit".toCharArray(), new Certificate[] {issued.certificate()});
        StandardCertificateCredentials cert = credential(StandardCertificateCredentials.class,
                Map.of("getId", "jenkins-cert", "getKeyStore", store, "getPassword", Secret.fromString("changeit")));

        assertThat(whoAmI(connect(cluster("jenkins-cert"), cert))).isEqualTo(new UserInfo("jenkins",
                List.of("platform", "system:authenticated")));
    }

    private static String kubeconfigWithTwoContexts() {
        String ca = java.util.Base64.getEncoder().encodeToString(front.caPem().getBytes(StandardCharsets.UTF_8));
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: sim
                  cluster: {server: "%s", certificate-authority-data: "%s"}
                users:
                - name: deployer
                  user: {token: deployer-token}
                - name: viewer
                  user: {token: viewer-token}
                contexts:
                - name: deploy
                  context: {cluster: sim, user: deployer, namespace: shop}
                - name: view
                  context: {cluster: sim, user: viewer}
                current-context: view
                """.formatted(front.url(), ca);
    }

    @Test
    void usesTheNamedContextOfAKubeconfigWithTwoContexts() throws Exception {
        ClusterConnectionConfig config = new ClusterConnectionConfig("edge");
        config.setCredentialsId("kubeconfig");
        config.setContext("deploy");
        FileCredentials file = credential(FileCredentials.class, Map.of("getId", "kubeconfig",
                "getContent", new ByteArrayInputStream(kubeconfigWithTwoContexts().getBytes(StandardCharsets.UTF_8))));

        ClusterConnection connection = connect(config, file);

        assertThat(whoAmI(connection).user()).isEqualTo("system:serviceaccount:ci:deployer");
    }

    @Test
    void usesTheCurrentContextWhenNoneIsNamedAndNamesTheContextsWhenOneIsUnknown() throws Exception {
        ClusterConnection current = JenkinsClusters.fromKubeconfig("withKubeConfig", kubeconfigWithTwoContexts(), "");
        assertThat(whoAmI(current).user()).isEqualTo("system:serviceaccount:ci:viewer");

        assertThatThrownBy(() -> JenkinsClusters.fromKubeconfig("edge", kubeconfigWithTwoContexts(), "prod"))
                .isInstanceOf(AbortException.class).hasMessageContaining("context")
                .hasMessageContaining("deploy").hasMessageContaining("view");
    }

    @Test
    void takesTheNamespaceOfTheKubeconfigContext() throws Exception {
        String deployCurrent = kubeconfigWithTwoContexts().replace("current-context: view", "current-context: deploy");

        assertThat(JenkinsClusters.fromKubeconfig("withKubeConfig", deployCurrent, "").namespace()).isEqualTo("shop");
    }

    @Test
    void refusesAnUnknownTokenWith401() throws Exception {
        StringCredentials token = credential(StringCredentials.class,
                Map.of("getId", "stale", "getSecret", Secret.fromString("revoked-token")));

        assertThatThrownBy(() -> whoAmI(connect(cluster("stale"), token)))
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(401));
    }

    @Test
    void neverPrintsTheSecretOfAConnection() throws Exception {
        StringCredentials token = credential(StringCredentials.class,
                Map.of("getId", "deployer", "getSecret", Secret.fromString("deployer-token")));

        assertThat(connect(cluster("deployer"), token).toString()).doesNotContain("deployer-token");
    }

    @Test
    void connectsInClusterWhenTheServiceAccountFilesAndVariablesArePresent(@TempDir Path serviceAccount)
            throws Exception {
        Files.writeString(serviceAccount.resolve("token"), "deployer-token\n");
        Files.writeString(serviceAccount.resolve("ca.crt"), front.caPem());
        Files.writeString(serviceAccount.resolve("namespace"), "jenkins");
        String port = front.url().substring(front.url().lastIndexOf(':') + 1);

        ClusterConnection connection = InClusterConnection.detect(
                Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1", "KUBERNETES_SERVICE_PORT", port), serviceAccount)
                .orElseThrow();

        assertThat(connection.namespace()).isEqualTo("jenkins");
        assertThat(whoAmI(connection).user()).isEqualTo("system:serviceaccount:ci:deployer");
        assertThat(InClusterConnection.detect(Map.of(), serviceAccount)).as("outside a pod").isEmpty();
    }

    /** Sources that answer from fixed values and record which were asked. */
    private static final class FixedSources implements ClusterResolution.Sources {
        final List<String> asked = new ArrayList<>();
        Optional<ClusterConnection> kubeconfig = Optional.empty();
        Optional<ClusterConnection> global = Optional.empty();
        Optional<ClusterConnection> inCluster = Optional.empty();

        @Override
        public ClusterConnection named(String name) {
            asked.add("named " + name);
            return ClusterConnection.anonymous(name, "https://named.example", "default");
        }

        @Override
        public Optional<ClusterConnection> withKubeConfig() {
            asked.add("withKubeConfig");
            return kubeconfig;
        }

        @Override
        public Optional<ClusterConnection> globalDefault() {
            asked.add("global");
            return global;
        }

        @Override
        public Optional<ClusterConnection> inCluster() {
            asked.add("in-cluster");
            return inCluster;
        }

        @Override
        public String inClusterDescription() {
            return "service account";
        }
    }

    private static ClusterConnection named(String name) {
        return ClusterConnection.anonymous(name, "https://" + name + ".example", "default");
    }

    @Test
    void prefersTheStepsClusterOverAnEnclosingWithKubeConfig() throws Exception {
        FixedSources sources = new FixedSources();
        sources.kubeconfig = Optional.of(named("from-kubeconfig"));

        assertThat(ClusterResolution.resolve("prod", sources).name()).isEqualTo("prod");
        assertThat(sources.asked).containsExactly("named prod");
    }

    @Test
    void usesWithKubeConfigBeforeTheGlobalDefault() throws Exception {
        FixedSources sources = new FixedSources();
        sources.kubeconfig = Optional.of(named("from-kubeconfig"));
        sources.global = Optional.of(named("default-cluster"));

        assertThat(ClusterResolution.resolve("", sources).name()).isEqualTo("from-kubeconfig");
    }

    @Test
    void usesTheGlobalDefaultBeforeInCluster() throws Exception {
        FixedSources sources = new FixedSources();
        sources.global = Optional.of(named("default-cluster"));
        sources.inCluster = Optional.of(named("in-cluster"));

        assertThat(ClusterResolution.resolve(null, sources).name()).isEqualTo("default-cluster");
        assertThat(sources.asked).containsExactly("withKubeConfig", "global");
    }

    @Test
    void fallsBackToInClusterAndListsWhatWasTriedWhenNothingApplies() throws Exception {
        FixedSources sources = new FixedSources();
        sources.inCluster = Optional.of(named("in-cluster"));
        assertThat(ClusterResolution.resolve("", sources).name()).isEqualTo("in-cluster");

        FixedSources none = new FixedSources();
        assertThatThrownBy(() -> ClusterResolution.resolve("", none)).isInstanceOf(AbortException.class)
                .hasMessageContaining("cluster parameter").hasMessageContaining("withKubeConfig")
                .hasMessageContaining("global default").hasMessageContaining("service account");
    }
}
