package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.sim.ApiRequest;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIP-4: a first rollout creates every identity at once and awaits them with one watch; redeploys roll under a budget. */
class StickyIpRolloutSimTest {

    @TempDir
    Path stateDir;

    private SimulatedCluster sim;
    private final Map<String, IpPool> pools = Map.of("default", Pools.pool("default", "10.42.200.0/24"));

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private StickyIpDeployer deployer() {
        return deployer(pools);
    }

    private StickyIpDeployer deployer(Map<String, IpPool> pools) {
        return new StickyIpDeployer(sim.client(), pools, new IpReservationLedger(
                new JournaledLedgerStore(stateDir.resolve("ip-ledger")), Clock.systemUTC(), new Random(1)),
                StickyIpDeployerSimTest.fastRetry());
    }

    private static DeployRequest web(int replicas, String image) {
        return DeployRequest.of("shop", "web", image, replicas, 8080, "default").withTimeout(Duration.ofSeconds(60));
    }

    private static boolean podsRequest(ApiRequest r, String verb) {
        return !r.internal() && "pods".equals(r.resource()) && "shop".equals(r.namespace()) && verb.equals(r.verb());
    }

    @Test
    void createsEveryNewIdentityBeforeAwaitingAnyAndAwaitsThemAllWithOneWatch() {
        sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(10).nodes(4).build()));
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        sim.requests().clear();

        DeployResult result = deployer().deploy(web(12, "registry.example.com/web:1"), Progress.lines(lines::add));

        assertThat(result.ips()).hasSize(12).doesNotHaveDuplicates();
        int lastCreate = -1;
        int firstReady = Integer.MAX_VALUE;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(": creating workload with ")) {
                lastCreate = i;
            } else if (lines.get(i).contains(": Running and Ready with ")) {
                firstReady = Math.min(firstReady, i);
            }
        }
        assertThat(lines).filteredOn(l -> l.contains(": creating workload with ")).hasSize(12);
        assertThat(lines).filteredOn(l -> l.contains(": Running and Ready with ")).hasSize(12);
        assertThat(lastCreate).as("all 12 created before the first is seen Ready").isLessThan(firstReady);

        List<ApiRequest> creates = sim.requests().matching(r -> !r.internal() && "deployments".equals(r.resource())
                && "create".equals(r.verb()));
        assertThat(creates).hasSize(12);
        assertThat(sim.requests().matching(r -> podsRequest(r, "watch"))).as("watches of the app's pods").hasSize(1);
        assertThat(sim.requests().matching(r -> podsRequest(r, "list"))).as("lists of the app's pods").hasSize(1);
        assertThat(sim.requests().matching(r -> podsRequest(r, "get"))).isEmpty();
        // the watch starts from the list's resourceVersion, so a list before the first create misses no change
        ApiRequest list = sim.requests().matching(r -> podsRequest(r, "list")).get(0);
        assertThat(list.at()).as("the pods are listed before the first create").isBeforeOrEqualTo(creates.get(0).at());
        // 11 beside the 12 creates: the reads of the plan, the admission dry run, the quota list, the app's pods
        // (list and watch), the Service
        assertThat(sim.requests().matching(r -> !r.internal() && !r.isReview())).as("requests for 12 identities besides the "
                + "permission pre-check").hasSizeLessThanOrEqualTo(12 + 11);
    }

    /** Watches the app's pods and keeps the largest number of identities seen without a Ready pod at once. */
    private static final class Availability implements Watcher<Pod> {
        private final Map<String, Pod> pods = new HashMap<>();
        private final int identities;
        private final String image;
        private final CountDownLatch allOnImage = new CountDownLatch(1);
        private int maxUnavailable;
        private int events;

        Availability(List<Pod> initial, int identities, String image) {
            initial.forEach(p -> pods.put(p.getMetadata().getName(), p));
            this.identities = identities;
            this.image = image;
        }

        @Override
        public synchronized void eventReceived(Action action, Pod pod) {
            events++;
            if (action == Action.DELETED) {
                pods.remove(pod.getMetadata().getName());
            } else {
                pods.put(pod.getMetadata().getName(), pod);
            }
            int available = 0;
            int onImage = 0;
            for (int i = 0; i < identities; i++) {
                String id = "web-" + i;
                List<Pod> ready = pods.values().stream()
                        .filter(p -> id.equals(p.getMetadata().getLabels().get(StickyIpLabels.IDENTITY))
                                && p.getMetadata().getDeletionTimestamp() == null && ClusterObserver.isReady(p))
                        .toList();
                if (!ready.isEmpty()) {
                    available++;
                }
                if (ready.stream().anyMatch(p -> image.equals(p.getSpec().getContainers().get(0).getImage()))) {
                    onImage++;
                }
            }
            maxUnavailable = Math.max(maxUnavailable, identities - available);
            if (onImage == identities) {
                allOnImage.countDown();
            }
        }

        @Override
        public void onClose(WatcherException cause) {
        }

        synchronized int maxUnavailable() {
            return maxUnavailable;
        }

        synchronized int events() {
            return events;
        }
    }

    private Availability redeployWatched(int replicas, RolloutPolicy policy) throws Exception {
        deployer().deploy(web(replicas, "registry.example.com/web:1"), Progress.silent());
        PodList before = sim.client().pods().inNamespace("shop").withLabel(StickyIpLabels.NAME, "web").list();
        Availability seen = new Availability(before.getItems(), replicas, "registry.example.com/web:2");
        try (Watch ignored = sim.client().pods().inNamespace("shop").withLabel(StickyIpLabels.NAME, "web")
                .withResourceVersion(before.getMetadata().getResourceVersion()).watch(seen)) {
            DeployResult second = deployer().deploy(web(replicas, "registry.example.com/web:2"), policy,
                    Progress.silent());
            assertThat(second.changed()).isTrue();
            assertThat(seen.allOnImage.await(30, TimeUnit.SECONDS))
                    .as("the watch saw every identity Ready on the new image").isTrue();
        }
        return seen;
    }

    @Test
    void neverHasMoreThanAQuarterOfTheIdentitiesUnavailableDuringARedeployByDefault() throws Exception {
        sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(10).nodes(4).build()));

        Availability seen = redeployWatched(8, RolloutPolicy.defaults());

        assertThat(seen.events()).isGreaterThanOrEqualTo(8 * 3);
        assertThat(seen.maxUnavailable()).as("25% of 8").isBetween(1, 2);
    }

    @Test
    void usesTheWholeBudgetOfAnAbsoluteMaxUnavailable() throws Exception {
        sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(10).nodes(4).containerStartDelay(Duration.ofSeconds(5))
                .build()));

        Availability seen = redeployWatched(8, RolloutPolicy.maxUnavailable("4"));

        assertThat(seen.maxUnavailable()).as("up to 4 replaced at once, never more").isBetween(3, 4);
    }

    /**
     * Watches an app's pods during a redeploy and keeps, counted from the pods alone: the largest number of
     * identities without a Ready pod at once, and which identities have a Ready pod on the new image.
     */
    private static final class Slots implements Watcher<Pod> {
        private final Map<String, Pod> pods = new HashMap<>();
        private final List<String> identities;
        private final Set<String> held;
        private final String image;
        private final CountDownLatch othersDone = new CountDownLatch(1);
        private final CountDownLatch allDone = new CountDownLatch(1);
        private final Set<String> heldDoneBeforeOthers = new TreeSet<>();
        private int maxUnavailable;

        Slots(List<Pod> initial, List<String> identities, Set<String> held, String image) {
            initial.forEach(p -> pods.put(p.getMetadata().getName(), p));
            this.identities = identities;
            this.held = held;
            this.image = image;
        }

        @Override
        public synchronized void eventReceived(Action action, Pod pod) {
            if (action == Action.DELETED) {
                pods.remove(pod.getMetadata().getName());
            } else {
                pods.put(pod.getMetadata().getName(), pod);
            }
            int unavailable = 0;
            Set<String> onImage = new TreeSet<>();
            for (String id : identities) {
                List<Pod> ready = pods.values().stream()
                        .filter(p -> id.equals(p.getMetadata().getLabels().get(StickyIpLabels.IDENTITY))
                                && p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
                                && "Running".equals(p.getStatus().getPhase()) && p.getStatus().getConditions() != null
                                && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType())
                                        && "True".equals(c.getStatus())))
                        .toList();
                if (ready.isEmpty()) {
                    unavailable++;
                }
                if (ready.stream().anyMatch(p -> image.equals(p.getSpec().getContainers().get(0).getImage()))) {
                    onImage.add(id);
                }
            }
            maxUnavailable = Math.max(maxUnavailable, unavailable);
            Set<String> others = new TreeSet<>(identities);
            others.removeAll(held);
            if (othersDone.getCount() > 0 && onImage.containsAll(others)) {
                onImage.stream().filter(held::contains).forEach(heldDoneBeforeOthers::add);
                othersDone.countDown();
            }
            if (onImage.size() == identities.size()) {
                allDone.countDown();
            }
        }

        @Override
        public void onClose(WatcherException cause) {
        }

        synchronized int maxUnavailable() {
            return maxUnavailable;
        }

        synchronized Set<String> heldDoneBeforeOthers() {
            return new TreeSet<>(heldDoneBeforeOthers);
        }
    }

    /** A NoSchedule taint the pods do not tolerate: the node stays Ready and schedulable, so the pins stay. */
    private void hold(String node, boolean on) {
        sim.client().nodes().withName(node).edit(n -> {
            List<Taint> taints = new ArrayList<>(n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints());
            taints.removeIf(t -> "example.com/hold".equals(t.getKey()));
            if (on) {
                taints.add(new TaintBuilder().withKey("example.com/hold").withValue("test").withEffect("NoSchedule")
                        .build());
            }
            n.getSpec().setTaints(taints);
            return n;
        });
    }

    @Test
    void refillsAFreedSlotAtOnceWhileAnotherReplacementIsStillPending() throws Exception {
        sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(10).nodes(4).build()));
        // required pinning: an identity whose node is tainted keeps its slot (Pending) until the node is back
        Map<String, IpPool> pinned = Map.of("default", PoolSettings.builder("default").ranges("10.42.200.0/24")
                .keepNamespaces("keep").reclaimAfter("1h").nodePinning("required").build().toPool());
        int replicas = 8;
        deployer(pinned).deploy(web(replicas, "registry.example.com/web:1"), Progress.silent());
        PodList before = sim.client().pods().inNamespace("shop").withLabel(StickyIpLabels.NAME, "web").list();
        assertThat(before.getItems()).hasSize(replicas);
        String node = before.getItems().stream()
                .filter(p -> "web-0".equals(p.getMetadata().getLabels().get(StickyIpLabels.IDENTITY)))
                .findFirst().orElseThrow().getSpec().getNodeName();
        Set<String> held = new TreeSet<>();
        before.getItems().stream().filter(p -> node.equals(p.getSpec().getNodeName()))
                .forEach(p -> held.add(p.getMetadata().getLabels().get(StickyIpLabels.IDENTITY)));
        assertThat(held).as("identities on the node of web-0").contains("web-0").hasSizeLessThan(replicas - 2);
        List<String> identities = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            identities.add("web-" + i);
        }
        // one slot besides those the held identities will occupy: a wave of (held + 1) that contains web-0 would
        // block, a sliding window keeps cycling the free slot through all other identities
        int budget = held.size() + 1;
        hold(node, true);
        Slots seen = new Slots(before.getItems(), identities, held, "registry.example.com/web:2");
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try (Watch ignored = sim.client().pods().inNamespace("shop").withLabel(StickyIpLabels.NAME, "web")
                .withResourceVersion(before.getMetadata().getResourceVersion()).watch(seen)) {
            Future<DeployResult> redeploy = runner.submit(() -> deployer(pinned).deploy(
                    web(replicas, "registry.example.com/web:2"), RolloutPolicy.maxUnavailable(Integer.toString(budget)),
                    Progress.silent()));

            assertThat(seen.othersDone.await(30, TimeUnit.SECONDS))
                    .as("every identity off the tainted node replaced and Ready while " + held + " wait").isTrue();
            assertThat(seen.heldDoneBeforeOthers()).as("identities pinned to the tainted node").isEmpty();
            assertThat(redeploy.isDone()).as("the deploy still waits for " + held).isFalse();

            hold(node, false);
            DeployResult result = redeploy.get(30, TimeUnit.SECONDS);
            assertThat(result.changed()).isTrue();
            assertThat(seen.allDone.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            runner.shutdownNow();
        }
        assertThat(seen.maxUnavailable()).as("at most " + budget + " unavailable at any moment").isBetween(held.size(),
                budget);
    }

    @Test
    void replacesAnIdentityThatIsAlreadyUnavailableBeforeAnyHealthyOne() throws Exception {
        sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(10).nodes(4).build()));
        // web-3's pod, deleted while every node is held (NoSchedule keeps the running pods), stays Pending
        // (unavailable) until released: its first deploy had no node to pin to, so a held node alone would not do
        Map<String, IpPool> pinned = Map.of("default", PoolSettings.builder("default").ranges("10.42.200.0/24")
                .keepNamespaces("keep").reclaimAfter("1h").nodePinning("required").build().toPool());
        deployer(pinned).deploy(web(4, "registry.example.com/web:1"), Progress.silent());
        Pod web3 = sim.client().pods().inNamespace("shop").withLabel(StickyIpLabels.IDENTITY, "web-3").list()
                .getItems().get(0);
        List<String> nodes = sim.client().nodes().list().getItems().stream().map(n -> n.getMetadata().getName())
                .toList();
        nodes.forEach(n -> hold(n, true));
        sim.client().pods().inNamespace("shop").withName(web3.getMetadata().getName()).withGracePeriod(0).delete();
        sim.client().pods().inNamespace("shop").withLabel(StickyIpLabels.IDENTITY, "web-3")
                .informOnCondition(pods -> pods.stream().anyMatch(p -> p.getMetadata().getDeletionTimestamp() == null
                        && p.getStatus() != null && "Pending".equals(p.getStatus().getPhase())))
                .get(30, TimeUnit.SECONDS);
        List<String> rolled = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch first = new CountDownLatch(1);
        Progress progress = Progress.lines(l -> {
            if (l.contains(": replacing workload") || l.contains(": updating in place")) {
                rolled.add(l);
                first.countDown();
            }
        });
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<DeployResult> redeploy = runner.submit(() -> deployer(pinned).deploy(
                    web(4, "registry.example.com/web:2"), RolloutPolicy.maxUnavailable("1"), progress));
            assertThat(first.await(30, TimeUnit.SECONDS)).as("the first identity rolled").isTrue();
            nodes.forEach(n -> hold(n, false));

            assertThat(redeploy.get(60, TimeUnit.SECONDS).changed()).isTrue();
        } finally {
            runner.shutdownNow();
        }
        assertThat(rolled).hasSize(4);
        assertThat(rolled.get(0)).as("the identity without a Ready pod goes first: replacing it takes nothing away")
                .contains("web-3: replacing workload");
    }
}
