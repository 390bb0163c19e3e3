package io.jenkins.plugins.kubeplatform.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.kube.ClusterConnection;
import io.jenkins.plugins.kubeplatform.engine.kube.ClusterCredential;
import io.jenkins.plugins.kubeplatform.engine.kube.KubernetesClients;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The controller's SYSTEM clients: one per connection across runs, a new one (and the old one closed) when the
 * configuration or the credential changes, all closed at shutdown. Building a fabric8 client opens no connection,
 * so the clients point at an address nothing listens on and are only inspected.
 */
class SystemClientsTest {

    private final Map<String, ClusterConnection> configured = new HashMap<>();
    private final List<KubernetesClient> built = new ArrayList<>();
    private final SystemClients clients = new SystemClients(this::resolve, connection -> {
        KubernetesClient client = KubernetesClients.create(connection);
        built.add(client);
        return client;
    });

    @AfterEach
    void closeAll() {
        clients.close();
    }

    private ClusterConnection resolve(String cluster) throws AbortException {
        ClusterConnection connection = configured.get(cluster);
        if (connection == null) {
            throw new AbortException("No cluster named '" + cluster + "' is configured");
        }
        return connection;
    }

    private static ClusterConnection withToken(String name, String server, String token) {
        return new ClusterConnection(name, Optional.of(server), "default", Optional.empty(), false,
                new ClusterCredential.Token(token));
    }

    /** The client one run used; its lease is given back. */
    private KubernetesClient usedByOneRun(String cluster) throws AbortException {
        try (SystemClients.Lease lease = clients.lease(cluster)) {
            return lease.client();
        }
    }

    private static boolean closed(KubernetesClient client) {
        return client.getHttpClient().isClosed();
    }

    @Test
    void reusesTheSameClientWhenTwoRunsLeaseTheSameCluster() throws Exception {
        configured.put("prod", withToken("prod", "https://127.0.0.1:1", "token-1"));

        KubernetesClient first = usedByOneRun("prod");
        KubernetesClient second = usedByOneRun("prod");

        assertThat(second).isSameAs(first);
        assertThat(built).hasSize(1);
        assertThat(closed(first)).as("closing a lease leaves the shared client open").isFalse();
    }

    @Test
    void sharesOneClientWhenTheDefaultAndItsNameResolveToTheSameConnection() throws Exception {
        ClusterConnection prod = withToken("prod", "https://127.0.0.1:1", "token-1");
        configured.put("", prod);
        configured.put("prod", prod);

        try (SystemClients.Lease byDefault = clients.lease(""); SystemClients.Lease byName = clients.lease("prod")) {
            assertThat(byName.client()).isSameAs(byDefault.client());
        }
    }

    @Test
    void buildsANewClientAndClosesTheOldOneWhenTheCredentialRotates() throws Exception {
        configured.put("prod", withToken("prod", "https://127.0.0.1:1", "token-1"));
        KubernetesClient before = usedByOneRun("prod");

        configured.put("prod", withToken("prod", "https://127.0.0.1:1", "token-2"));
        KubernetesClient after = usedByOneRun("prod");

        assertThat(after).isNotSameAs(before);
        assertThat(after.getConfiguration().getOauthToken()).isEqualTo("token-2");
        assertThat(closed(before)).as("the client with the old token").isTrue();
        assertThat(closed(after)).isFalse();
    }

    @Test
    void buildsANewClientWhenTheConnectionsServerChanges() throws Exception {
        configured.put("prod", withToken("prod", "https://127.0.0.1:1", "token-1"));
        KubernetesClient before = usedByOneRun("prod");

        configured.put("prod", withToken("prod", "https://127.0.0.2:1", "token-1"));
        KubernetesClient after = usedByOneRun("prod");

        assertThat(after.getMasterUrl().toString()).startsWith("https://127.0.0.2:1");
        assertThat(built).hasSize(2);
        assertThat(closed(before)).isTrue();
    }

    @Test
    void keepsTheOldClientOpenUntilItsRunEndsWhenTheCredentialRotatesMeanwhile() throws Exception {
        configured.put("prod", withToken("prod", "https://127.0.0.1:1", "token-1"));
        SystemClients.Lease running = clients.lease("prod");

        configured.put("prod", withToken("prod", "https://127.0.0.1:1", "token-2"));
        usedByOneRun("prod");

        assertThat(closed(running.client())).as("still used by the running pass").isFalse();
        running.close();
        assertThat(closed(running.client())).isTrue();
        assertThat(closed(built.get(1))).as("the current client").isFalse();
    }

    @Test
    void closesEveryClientWhenJenkinsShutsDown() throws Exception {
        configured.put("prod", withToken("prod", "https://127.0.0.1:1", "token-1"));
        configured.put("edge", withToken("edge", "https://127.0.0.3:1", "token-e"));
        usedByOneRun("prod");
        SystemClients.Lease running = clients.lease("edge");

        clients.close();

        assertThat(closed(built.get(0))).isTrue();
        assertThat(closed(running.client())).as("in use by a run: closed when given back").isFalse();
        running.close();
        assertThat(closed(running.client())).isTrue();
        assertThatThrownBy(() -> clients.lease("prod")).isInstanceOf(AbortException.class)
                .hasMessageContaining("shutting down");
    }

    @Test
    void isRunByJenkinsWhenItShutsDown() throws Exception {
        java.lang.reflect.Method shutdown = SystemClients.class.getMethod("shutdown");

        assertThat(shutdown.isAnnotationPresent(hudson.init.Terminator.class)).isTrue();
        assertThat(java.lang.reflect.Modifier.isStatic(shutdown.getModifiers())).isTrue();
    }

    @Test
    void givesBackOnceWhenALeaseIsClosedTwice() throws Exception {
        configured.put("prod", withToken("prod", "https://127.0.0.1:1", "token-1"));
        SystemClients.Lease running = clients.lease("prod");
        SystemClients.Lease twice = clients.lease("prod");
        twice.close();
        twice.close();

        clients.close();

        assertThat(closed(running.client())).as("one lease is still out").isFalse();
        running.close();
        assertThat(closed(running.client())).isTrue();
    }

    @Test
    void failsWithTheResolversMessageWhenTheClusterIsNotConfigured() {
        assertThatThrownBy(() -> clients.lease("nowhere")).isInstanceOf(AbortException.class)
                .hasMessage("No cluster named 'nowhere' is configured");
        assertThat(built).isEmpty();
    }

    @Test
    void fingerprintsTheCredentialWithoutHoldingItWhenTwoTokensDiffer() {
        String one = SystemClients.fingerprint(withToken("prod", "https://127.0.0.1:1", "secret-token-1"));
        String same = SystemClients.fingerprint(withToken("prod", "https://127.0.0.1:1", "secret-token-1"));
        String other = SystemClients.fingerprint(withToken("prod", "https://127.0.0.1:1", "secret-token-2"));

        assertThat(one).isEqualTo(same).isNotEqualTo(other).matches("[0-9a-f]{64}").doesNotContain("secret");
    }

    @Test
    void fingerprintsKubeconfigContentWhenOnlyTheFileChanges() {
        ClusterConnection a = new ClusterConnection("prod", Optional.empty(), "default", Optional.empty(), false,
                new ClusterCredential.Kubeconfig("apiVersion: v1\nusers: [a]\n", "ctx"));
        ClusterConnection b = new ClusterConnection("prod", Optional.empty(), "default", Optional.empty(), false,
                new ClusterCredential.Kubeconfig("apiVersion: v1\nusers: [b]\n", "ctx"));

        assertThat(SystemClients.fingerprint(a)).isNotEqualTo(SystemClients.fingerprint(b));
    }
}
