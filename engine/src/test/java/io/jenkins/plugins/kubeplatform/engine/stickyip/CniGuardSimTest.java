package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIP-13: Calico hands a reserved or idle address to a stranger unless the pool's range is kept from automatic
 * assignment; the pre-check refuses such a pool, and the documented objects keep every address.
 */
class CniGuardSimTest {

    private static final Path EXAMPLES = Path.of("..", "docs", "examples");
    private static final int STRANGERS = 50;

    @TempDir
    Path stateDir;

    private SimulatedCluster sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    /** A cluster as installed, with nothing reserved: Calico's default pool 10.42.0.0/16 auto-assigns. */
    private void startUnprotected() {
        sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(100).reservedCidrs(List.of()).build()));
    }

    private StickyIpDeployer deployer(String range, String cniCheck) {
        IpPool pool = PoolSettings.builder("default").ranges(range).keepNamespaces("keep").reclaimAfter("1h")
                .cniCheck(cniCheck).build().toPool();
        return new StickyIpDeployer(sim.client(), Map.of("default", pool), new IpReservationLedger(
                new JournaledLedgerStore(stateDir.resolve("ip-ledger")), Clock.systemUTC(), new Random(1)),
                StickyIpDeployerSimTest.fastRetry());
    }

    private static DeployRequest web(int replicas) {
        return DeployRequest.of("keep", "web", "registry.example.com/web:1", replicas, 8080, "default")
                .withTimeout(Duration.ofSeconds(60));
    }

    /** Scales {@code web} from 2 to 1 in the keep-namespace: web-1's address stays reserved, idle, with no pod. */
    private String idleReservation(StickyIpDeployer deployer) {
        DeployResult two = deployer.deploy(web(2), Progress.silent());
        deployer.deploy(web(1), Progress.silent());
        return two.identities().get(1).ip();
    }

    /** Starts unrelated pods (no address annotation) and returns their addresses once all have one. */
    private Set<String> strangers() throws Exception {
        for (int i = 0; i < STRANGERS; i++) {
            sim.client().pods().inNamespace("other").resource(new PodBuilder().withNewMetadata().withName("stranger-" + i)
                    .addToLabels("app", "stranger").endMetadata().withNewSpec().addNewContainer().withName("c")
                    .withImage("busybox").endContainer().endSpec().build()).create();
        }
        List<Pod> pods = sim.client().pods().inNamespace("other").withLabel("app", "stranger")
                .informOnCondition(list -> list.size() == STRANGERS && list.stream().allMatch(p -> p.getStatus() != null
                        && p.getStatus().getPodIP() != null))
                .get(90, TimeUnit.SECONDS);
        return pods.stream().map(p -> p.getStatus().getPodIP()).collect(Collectors.toSet());
    }

    private void apply(String example) throws Exception {
        try (InputStream in = Files.newInputStream(EXAMPLES.resolve(example))) {
            GenericKubernetesResource r = Serialization.unmarshal(in, GenericKubernetesResource.class);
            var type = r.getKind().equals("IPPool") ? CniGuard.IPPOOLS : CniGuard.IPRESERVATIONS;
            sim.client().genericKubernetesResources(type).resource(r).create();
        }
    }

    @Test
    void reproducesAStrangerTakingAnIdleReservationInAnAutoAssigningPool() throws Exception {
        startUnprotected();
        String idle = idleReservation(deployer("10.42.200.0/24", "off"));

        Set<String> taken = strangers();

        assertThat(taken).as("an unrelated pod holds the idle reservation " + idle).contains(idle);
        // 3 s: at speed 100 a pod that gets its address is Ready in well under a second, so a deployer that handed
        // web-1 another address (or took the stranger's) would succeed inside it; the refusal names the idle address
        assertThatThrownBy(() -> deployer("10.42.200.0/24", "off").deploy(web(2).withTimeout(Duration.ofSeconds(3)),
                Progress.silent()))
                .isInstanceOf(OperationFailedException.class).hasMessageContaining(idle);
    }

    @Test
    void refusesAPoolInsideAnAutoAssigningIpPoolWithTheIpReservationToApply() {
        startUnprotected();

        assertThatThrownBy(() -> deployer("10.42.200.0/24", "enforce").deploy(web(2), Progress.silent()))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("Calico IPPool default-ipv4-ippool (10.42.0.0/16)")
                .hasMessageContaining("kind: IPReservation\nmetadata:\n  name: kubeplatform-default\nspec:\n"
                        + "  reservedCIDRs:\n    - 10.42.200.0/24\n")
                .hasMessageContaining("Nothing was changed");
        assertThat(sim.client().apps().deployments().inNamespace("keep").list().getItems()).isEmpty();
    }

    @Test
    void refusesARangeOutsideEveryIpPoolWithAManualIpPoolToApply() {
        startUnprotected();

        assertThatThrownBy(() -> deployer("10.43.200.0/24", "enforce").deploy(web(1), Progress.silent()))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("lie in no enabled Calico IPPool")
                .hasMessageContaining("kind: IPPool")
                .hasMessageContaining("cidr: 10.43.200.0/24")
                .hasMessageContaining("assignmentMode: Manual")
                .hasMessageContaining("nodeSelector: \"!all()\"");
    }

    @Test
    void deploysWithAWarningWhenThePoolSaysWarn() {
        startUnprotected();
        List<String> lines = new java.util.ArrayList<>();

        DeployResult result = deployer("10.42.200.0/24", "warn").deploy(web(1), Progress.lines(lines::add));

        assertThat(result.identities()).hasSize(1);
        assertThat(lines).anyMatch(l -> l.startsWith("[warn]") && l.contains("kind: IPReservation"));
    }

    @Test
    void keepsEveryAddressWithTheDocumentedManualIpPool() throws Exception {
        startUnprotected();
        apply("calico-manual-ippool.yaml");
        StickyIpDeployer deployer = deployer("10.43.200.0/24", "enforce");
        String idle = idleReservation(deployer);

        Set<String> taken = strangers();

        assertThat(taken).as("addresses of the sticky pool given to strangers")
                .noneMatch(ip -> ip.startsWith("10.43.200."));
        DeployResult back = deployer.deploy(web(2), Progress.silent());
        assertThat(back.identities().get(1).ip()).isEqualTo(idle);
    }

    @Test
    void keepsEveryAddressWithTheDocumentedIpReservation() throws Exception {
        startUnprotected();
        apply("calico-ipreservation.yaml");
        StickyIpDeployer deployer = deployer("10.42.200.0/24", "enforce");
        String idle = idleReservation(deployer);

        Set<String> taken = strangers();

        assertThat(taken).as("addresses of the sticky pool given to strangers")
                .noneMatch(ip -> ip.startsWith("10.42.200."));
        DeployResult back = deployer.deploy(web(2), Progress.silent());
        assertThat(back.identities().get(1).ip()).isEqualTo(idle);
    }
}
