package io.jenkins.plugins.kubeplatform.cli.stickyip;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.BenchOptions;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Benchmark;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Measurement;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.stickyip.DeployRequest;
import io.jenkins.plugins.kubeplatform.engine.stickyip.DeployResult;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger;
import io.jenkins.plugins.kubeplatform.engine.stickyip.JournaledLedgerStore;
import io.jenkins.plugins.kubeplatform.engine.stickyip.PoolSettings;
import io.jenkins.plugins.kubeplatform.engine.stickyip.RolloutPolicy;
import io.jenkins.plugins.kubeplatform.sim.ClientRateLimit;
import io.jenkins.plugins.kubeplatform.engine.stickyip.StickyIpDeployer;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The first rollout and a redeploy (new image) of N sticky-IP identities against a plain apps/v1 Deployment of N
 * replicas, side by side in one process on one simulated cluster (image pull 1 s, container start 1 s, speed 1): time
 * until every pod is Running and Ready with its address, the ratio sticky / Deployment (goal at most 1.2), and the
 * API requests of the sticky deploy per identity.
 */
public final class RolloutBenchmark implements Benchmark {

    /**
     * The image of one side, size and version: each side pulls its own images, as the kubelet caches images per node
     * (a Deployment run first must not leave the sticky run's images on the nodes, nor one size the next's).
     */
    private static String image(String side, int n, int version) {
        return "registry.example.com/bench/" + side + "-" + n + ":" + version;
    }
    private static final Duration TIMEOUT = Duration.ofMinutes(20);
    /** Both sides run this pod template: a readiness probe, so a pod counts only once the probe passed (issue 19). */
    static final String TEMPLATE = """
            metadata:
              labels:
                tier: bench
            spec:
              containers:
                - name: web
                  image: registry.example.com/bench/web:1
                  ports:
                    - containerPort: 8080
                  readinessProbe:
                    httpGet:
                      path: /healthz
                      port: 8080
                    periodSeconds: 1
            """;

    @Override
    public String name() {
        return "rollout";
    }

    @Override
    public String description() {
        return "first rollout and redeploy of N sticky-IP identities vs a Deployment of N replicas (N = 10, 100, 1000; "
                + "--sizes), same simulated cluster and pod template with a readiness probe, 1 s image pull + 1 s "
                + "container start + 1 s until the probe passes";
    }

    @Override
    public List<Measurement> run(BenchOptions options) throws Exception {
        List<Integer> sizes = !options.sizes().isEmpty() ? options.sizes()
                : options.quick() ? List.of(5) : List.of(10, 100, 1000);
        int largest = sizes.stream().mapToInt(Integer::intValue).max().orElse(1);
        // 110 pods per node; a rolling update surges 25%
        int nodes = Math.max(8, (int) Math.ceil(largest * 1.3 / 100.0) + 1);
        double speed = options.quick() ? 20 : 1;
        List<Measurement> out = new ArrayList<>();
        try (SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().nodes(nodes).speed(speed)
                .imagePullDelay(Duration.ofSeconds(1)).containerStartDelay(Duration.ofSeconds(1))
                .readinessDelay(Duration.ofSeconds(1))
                .reservedCidrs(List.of("10.42.16.0/20")).createMissingNamespaces(true)
                .controllerRateLimit(options.controllerLimits() ? ClientRateLimit.CONTROLLER_MANAGER_DEFAULTS : null)
                .schedulerRateLimit(options.controllerLimits() ? ClientRateLimit.SCHEDULER_DEFAULTS : null)
                .build())) {
            KubernetesClient client = sim.client();
            IpPool pool = PoolSettings.builder("bench").ranges("10.42.16.0/20").reclaimAfter("1h").build().toPool();
            for (int n : sizes) {
                String scenario = "N=" + n;
                String plainNs = "bench-plain-" + n;
                // like the sticky side (whose deploy creates a Service named after the app), the Deployment gets a
                // Service first, so the endpoints controllers do the same work on both sides
                client.services().inNamespace(plainNs).resource(new ServiceBuilder()
                        .withNewMetadata().withName("plain").withNamespace(plainNs).endMetadata().withNewSpec()
                        .addToSelector("app", "plain").addNewPort().withPort(8080)
                        .withTargetPort(new IntOrString(8080)).endPort().endSpec()
                        .build()).create();
                double plainFirst = seconds(() -> {
                    client.apps().deployments().inNamespace(plainNs).resource(plain(plainNs, n, image("plain", n, 1)))
                            .create();
                    awaitPods(client, plainNs, "plain", n, p -> image("plain", n, 1).equals(image(p)));
                });
                double plainRedeploy = seconds(() -> {
                    setImage(client, plainNs, image("plain", n, 2));
                    awaitPods(client, plainNs, "plain", n, p -> image("plain", n, 2).equals(image(p)));
                });
                // the same rolling update without surge (maxSurge 0, maxUnavailable 25%): the availability an
                // identity rollout under its default budget keeps, since an identity's address cannot surge
                setStrategy(client, plainNs, 0, "25%");
                double plainRedeployNoSurge = seconds(() -> {
                    setImage(client, plainNs, image("plain", n, 3));
                    awaitPods(client, plainNs, "plain", n, p -> image("plain", n, 3).equals(image(p)));
                });
                // out of the way before the sticky run: the Deployment, its ReplicaSets and pods
                client.apps().deployments().inNamespace(plainNs).withName("plain").delete();
                client.apps().replicaSets().inNamespace(plainNs).withLabel("app", "plain").delete();
                client.pods().inNamespace(plainNs).withLabel("app", "plain").delete();
                client.services().inNamespace(plainNs).withName("plain").delete();
                // pods end gracefully (the kubelet stops each one): the sticky run must not share the cluster with
                // the Deployment's cleanup
                awaitNoPods(client, plainNs);

                String stickyNs = "bench-sticky-" + n;
                StickyIpDeployer deployer = new StickyIpDeployer(client, Map.of("bench", pool), new IpReservationLedger(
                        new JournaledLedgerStore(options.workDir().resolve("ledger-" + n)), CliContext.CLOCK,
                        new Random(1)), CliContext.RETRY);
                DeployRequest request = DeployRequest.of(stickyNs, "web", image("sticky", n, 1), n, 8080, "bench").withTimeout(TIMEOUT)
                        .withTemplate(io.jenkins.plugins.kubeplatform.engine.stickyip.ManifestParser.parse("template", TEMPLATE));
                sim.requests().clear();
                DeployResult[] first = new DeployResult[1];
                double stickyFirst = seconds(() -> first[0] = deployer.deploy(request, RolloutPolicy.defaults(),
                        Progress.silent()));
                int firstRequests = sim.requests().count();
                sim.requests().clear();
                double stickyRedeploy = seconds(() -> deployer.deploy(request.withImage(image("sticky", n, 2)), RolloutPolicy.defaults(),
                        Progress.silent()));
                int redeployRequests = sim.requests().count();
                // a Deployment's defaults let 25% surge plus 25% be unavailable: the same number in flight
                double stickyRedeploy50 = seconds(() -> deployer.deploy(request.withImage(image("sticky", n, 3)),
                        RolloutPolicy.maxUnavailable("50%"), Progress.silent()));
                // the same redeploy with each identity's pod replaced (Recreate) instead of updated in place
                double stickyReplace = seconds(() -> deployer.deploy(request.withImage(image("sticky", n, 4)),
                        RolloutPolicy.defaults().withInPlace(false), Progress.silent()));
                if (first[0].identities().size() != n) {
                    throw new IllegalStateException("sticky deploy returned " + first[0].identities().size()
                            + " identities, expected " + n);
                }
                deployer.deploy(DeployRequest.of(stickyNs, "web", image("sticky", n, 4), 0, 8080, "bench").withTimeout(TIMEOUT),
                        Progress.silent());
                awaitNoPods(client, stickyNs); // nor the next size's Deployment with this cleanup

                out.add(Measurement.of(scenario + ", first rollout", "Deployment", plainFirst, "s"));
                out.add(Measurement.of(scenario + ", first rollout", "stickyIpDeploy", stickyFirst, "s"));
                out.add(new Measurement(scenario + ", first rollout", "ratio sticky / Deployment",
                        stickyFirst / plainFirst, "x", "goal <= 1.2"));
                out.add(Measurement.of(scenario + ", first rollout", "API requests per identity",
                        (double) firstRequests / n, "requests"));
                out.add(Measurement.of(scenario + ", redeploy (new image)", "Deployment rolling update", plainRedeploy,
                        "s"));
                out.add(new Measurement(scenario + ", redeploy (new image)", "Deployment rolling update, no surge",
                        plainRedeployNoSurge, "s", "maxSurge 0, maxUnavailable 25%: the sticky default's availability"));
                out.add(new Measurement(scenario + ", redeploy (new image)", "stickyIpDeploy", stickyRedeploy, "s",
                        "maxUnavailable 25%, pods updated in place"));
                out.add(new Measurement(scenario + ", redeploy (new image)", "ratio sticky / Deployment",
                        stickyRedeploy / plainRedeploy, "x", "goal <= 1.2"));
                out.add(new Measurement(scenario + ", redeploy (new image)", "ratio sticky / Deployment without surge",
                        stickyRedeploy / plainRedeployNoSurge, "x", "both keep 75% of the pods available"));
                out.add(new Measurement(scenario + ", redeploy (new image)", "stickyIpDeploy, maxUnavailable 50%",
                        stickyRedeploy50, "s", "as many pods in flight as the Deployment's 25% surge + 25% unavailable"));
                out.add(new Measurement(scenario + ", redeploy (new image)", "ratio sticky 50% / Deployment",
                        stickyRedeploy50 / plainRedeploy, "x", "goal <= 1.2"));
                out.add(new Measurement(scenario + ", redeploy (new image)", "stickyIpDeploy, pods replaced",
                        stickyReplace, "s", "maxUnavailable 25%, inPlaceUpdate off (Recreate per identity)"));
                out.add(new Measurement(scenario + ", redeploy (new image)", "ratio sticky replaced / Deployment",
                        stickyReplace / plainRedeploy, "x", "goal <= 1.2"));
                out.add(Measurement.of(scenario + ", redeploy (new image)", "API requests per identity",
                        (double) redeployRequests / n, "requests"));
            }
            out.add(new Measurement("setup", "nodes", nodes, "nodes", String.format(Locale.ROOT,
                    "speed %s: 1 s pull + 1 s start + 1 s readiness probe take %s s of wall-clock time; controller "
                            + "clients %s", speed, 3 / speed, options.controllerLimits()
                            ? "limited as by default: 20 requests/s, burst 30 per kube-controller-manager "
                                    + "controller, 50/s, burst 100 for the scheduler, kubelet unlimited"
                            : "unlimited")));
        }
        return out;
    }

    private interface Step {
        void run() throws Exception;
    }

    private static double seconds(Step step) throws Exception {
        long start = System.nanoTime();
        step.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static Deployment plain(String ns, int replicas, String image) {
        return new DeploymentBuilder().withNewMetadata().withName("plain").withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", "plain").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "plain").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage(image).addNewPort().withContainerPort(8080)
                .endPort().withNewReadinessProbe().withNewHttpGet().withPath("/healthz")
                .withPort(new IntOrString(8080)).endHttpGet().withPeriodSeconds(1)
                .endReadinessProbe().endContainer().endSpec().endTemplate().endSpec().build();
    }

    /** A new image for the Deployment, re-read on 409 like {@code kubectl set image} (its controller writes status). */
    private static void setImage(KubernetesClient client, String ns, String image) {
        io.jenkins.plugins.kubeplatform.engine.kube.Conflicts.retry("update deployment " + ns + "/plain", 20,
                () -> client.apps().deployments().inNamespace(ns).withName("plain")
                        .edit(d -> new DeploymentBuilder(d).editSpec().editTemplate().editSpec()
                                .editFirstContainer().withImage(image).endContainer().endSpec()
                                .endTemplate().endSpec().build()));
    }

    private static void setStrategy(KubernetesClient client, String ns, int maxSurge, String maxUnavailable) {
        io.jenkins.plugins.kubeplatform.engine.kube.Conflicts.retry("update deployment " + ns + "/plain", 20,
                () -> client.apps().deployments().inNamespace(ns).withName("plain")
                        .edit(d -> new DeploymentBuilder(d).editSpec().withNewStrategy().withType("RollingUpdate")
                                .withNewRollingUpdate().withMaxSurge(new IntOrString(maxSurge))
                                .withMaxUnavailable(new IntOrString(maxUnavailable)).endRollingUpdate()
                                .endStrategy().endSpec().build()));
    }

    private static String image(Pod p) {
        return p.getSpec().getContainers().get(0).getImage();
    }

    /** Until exactly {@code n} live pods exist, all Running and Ready with an address and matching {@code which}. */
    private static void awaitPods(KubernetesClient client, String ns, String app, int n, Predicate<Pod> which)
            throws Exception {
        client.pods().inNamespace(ns).withLabel("app", app).informOnCondition(pods -> {
            List<Pod> live = pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
            return live.size() == n && live.stream().allMatch(p -> which.test(p) && ready(p));
        }).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Until the namespace has no pod left, terminating ones included. */
    private static void awaitNoPods(KubernetesClient client, String ns) throws Exception {
        client.pods().inNamespace(ns).informOnCondition(List::isEmpty).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private static boolean ready(Pod p) {
        return p.getStatus() != null && "Running".equals(p.getStatus().getPhase()) && p.getStatus().getPodIP() != null
                && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
