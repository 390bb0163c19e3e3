package io.jenkins.plugins.kubeplatform.cli.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.jenkins.plugins.kubeplatform.cli.CliRunner;
import io.jenkins.plugins.kubeplatform.cli.KubePlatformCli;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.io.BufferedReader;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** `sim controllers` drives a separately started API server whose own controllers are off (a bare control plane). */
class SimControllersCommandTest {

    private static boolean readyWith(Pod p, String ip) {
        return p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase())
                && ip.equals(p.getStatus().getPodIP()) && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    @Test
    void bindsAndRunsPodsWithTheirPinnedAddressesOnABareControlPlane() throws Exception {
        try (SimulatedCluster bare = SimulatedCluster.start(SimOptions.builder().builtInControllers(false).nodes(0)
                .speed(20).build())) {
            var client = bare.client();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("before")
                    .addToAnnotations("cni.projectcalico.org/ipAddrs", "[\"10.42.9.9\"]").endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
                    .build()).create();
            assertThat(client.pods().inNamespace("default").withName("before").get().getSpec().getNodeName())
                    .as("nothing schedules on a bare control plane").isNull();
            bare.requests().clear();

            PipedReader reader = new PipedReader();
            PrintWriter out = new PrintWriter(new PipedWriter(reader), true);
            AtomicInteger exit = new AtomicInteger(-1);
            Thread run = new Thread(() -> exit.set(KubePlatformCli.run(new KubePlatformCli(), out,
                    new PrintWriter(new StringWriter(), true), "sim", "controllers", "--server", bare.url(),
                    "--nodes", "2", "--speed", "20")));
            run.start();
            try {
                String line = new BufferedReader(reader).readLine();
                assertThat(line).contains("kubelet", "scheduler", "node-1, node-2");
                assertThat(client.nodes().list().getItems()).extracting(n -> n.getMetadata().getName())
                        .containsExactlyInAnyOrder("node-1", "node-2");

                Pod pinned = client.pods().inNamespace("default").withName("before")
                        .waitUntilCondition(p -> readyWith(p, "10.42.9.9"), 60, TimeUnit.SECONDS);
                assertThat(pinned.getSpec().getNodeName()).isIn("node-1", "node-2");

                client.apps().deployments().inNamespace("default").resource(new DeploymentBuilder().withNewMetadata()
                        .withName("web").endMetadata().withNewSpec().withReplicas(2).withNewSelector()
                        .addToMatchLabels("app", "web").endSelector().withNewTemplate().withNewMetadata()
                        .addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer().withName("web")
                        .withImage("nginx").endContainer().endSpec().endTemplate().endSpec().build()).create();
                List<Pod> web = client.pods().inNamespace("default").withLabel("app", "web")
                        .informOnCondition(pods -> pods.size() == 2 && pods.stream().allMatch(p ->
                                p.getStatus() != null && "Running".equals(p.getStatus().getPhase())))
                        .get(60, TimeUnit.SECONDS);
                assertThat(web).allMatch(p -> p.getStatus().getPodIP().startsWith("10.42."));
                assertThat(bare.requests().allIncludingInternal()).as("the attached controllers' requests")
                        .anyMatch(r -> r.internal() && "pods".equals(r.resource()) && "update".equals(r.verb()));
                assertThat(bare.requests().allIncludingInternal()).as("pod and deployment status reported through "
                        + "the status subresource, which a real API server requires")
                        .anyMatch(r -> r.internal() && "pods".equals(r.resource()) && "update".equals(r.verb())
                                && "status".equals(r.subresource()))
                        .anyMatch(r -> r.internal() && "deployments".equals(r.resource())
                                && "update".equals(r.verb()) && "status".equals(r.subresource()));
            } finally {
                run.interrupt();
                run.join(30_000);
            }
            assertThat(run.isAlive()).isFalse();
            assertThat(exit.get()).isZero();
        }
    }

    @Test
    void rejectsAnUnknownControllerGroupWithExitCode2() {
        CliRunner.Run run = CliRunner.run("sim", "controllers", "--server", "http://127.0.0.1:1", "--only", "kubelet,dns");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--only", "dns");
    }
}
