package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import io.jenkins.plugins.kubeplatform.engine.store.WriterJvm;
import io.jenkins.plugins.kubeplatform.sim.ApiRequest;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A dual-stack identity in the cluster ledger: one ConfigMap for both addresses, the two-object form of the previous
 * release read and merged, and a writer stopped between the merge's two writes.
 */
class ClusterLedgerDualStackTest {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final String V4_OBJECT = "kubeplatform-ip-10.42.202.1";
    private static final String V6_OBJECT = "kubeplatform-ip-fd00-0010-0042-0000-0000-0000-0000-0001";
    private static SimulatedCluster sim;
    private final IpPool dual = Pools.pool("dual", "10.42.202.0/24", "fd00:10:42::/120");
    private String namespace;

    @BeforeAll
    static void startCluster() {
        sim = SimulatedCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        sim.close();
    }

    @BeforeEach
    void freshNamespace() {
        namespace = "dual-" + NAMESPACES.incrementAndGet();
        TestNamespaces.with(sim, namespace);
    }

    private ClusterLedgerStore store(int attempts) {
        return new ClusterLedgerStore(sim.client(), namespace, new ApiRetry(attempts, Duration.ofMillis(5),
                Duration.ofMillis(20), d -> java.util.concurrent.locks.LockSupport.parkNanos(d.toNanos())),
                new Random(1));
    }

    private IpReservationLedger ledger() {
        return new IpReservationLedger(store(4), LedgerStoreContract.CLOCK, new Random(1));
    }

    private List<Reservation> deploy(String owner) {
        return ledger().reserveAll(dual, List.of(new ReplicaIdentity("ns", "web", 0)), Set.of(), Set.of(), owner)
                .get(0);
    }

    /** The ledger's objects (the namespace also holds the cluster's {@code kube-root-ca.crt}). */
    private List<String> objects() {
        return sim.client().configMaps().inNamespace(namespace)
                .withLabel(ClusterLedgerStore.STORE_LABEL, ClusterLedgerStore.STORE_VALUE).list().getItems().stream()
                .map(cm -> cm.getMetadata().getName()).sorted().toList();
    }

    /** An object as the previous release wrote it: one address, its reservation under "reservation". */
    private void oldFormObject(String name, String ip) throws Exception {
        Reservation r = new Reservation("ns/web-0", "dual", ip, Reservation.Kind.MANAGED, Reservation.State.ACTIVE,
                null, null, "job/old", T0, 1);
        sim.client().configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
                .withName(name).addToLabels(StickyIpLabels.MANAGED_BY, StickyIpLabels.MANAGER)
                .addToLabels(ClusterLedgerStore.STORE_LABEL, ClusterLedgerStore.STORE_VALUE)
                .addToLabels(ClusterLedgerStore.IDENTITY_LABEL, ClusterLedgerStore.identityHash("ns/web-0"))
                .endMetadata().addToData("reservation", Json.mapper().writeValueAsString(r)).build()).create();
    }

    @Test
    void writesBothAddressesInOneObjectWithOneCreateWhenADualStackIdentityIsReserved() {
        sim.requests().clear();
        List<Reservation> held = deploy("job/1");

        assertThat(held).extracting(Reservation::ip).containsExactly("10.42.202.1", "fd00:10:42::1");
        assertThat(writes()).containsExactly("create");
        ConfigMap cm = sim.client().configMaps().inNamespace(namespace).withName(V4_OBJECT).get();
        assertThat(cm.getData()).containsOnlyKeys("reservation", "reservation-ipv6");
        assertThat(cm.getData().get("reservation-ipv6")).contains("\"fd00:10:42::1\"");
        assertThat(cm.getMetadata().getLabels())
                .containsEntry("kubeplatform.io/ipv6-address", "fd00-0010-0042-0000-0000-0000-0000-0001");
        assertThat(objects()).containsExactly(V4_OBJECT);
    }

    @Test
    void releasesBothAddressesWithOneObjectsRemovalWhenTheIdentityIsReleased() {
        deploy("job/1");
        IpReservationLedger ledger = ledger();
        Reservation idle = ledger.retire(ledger.get("ns/web-0").orElseThrow(), true).orElseThrow();

        assertThat(ledger().release(idle)).isTrue();

        assertThat(objects()).isEmpty();
        assertThat(ledger().<List<Reservation>>read(v -> v.held("ns/web-0"))).isEmpty();
    }

    @Test
    void readsTheTwoObjectFormAndMergesItIntoOneObjectOnTheNextWrite() throws Exception {
        oldFormObject(V4_OBJECT, "10.42.202.1");
        oldFormObject(V6_OBJECT, "fd00:10:42::1");
        assertThat(ledger().<List<Reservation>>read(v -> v.held("ns/web-0")))
                .extracting(Reservation::ip, Reservation::owner)
                .containsExactly(Tuple.tuple("10.42.202.1", "job/old"), Tuple.tuple("fd00:10:42::1", "job/old"));

        List<Reservation> again = deploy("job/2");

        assertThat(again).extracting(Reservation::ip).containsExactly("10.42.202.1", "fd00:10:42::1");
        assertThat(objects()).containsExactly(V4_OBJECT);
        assertThat(sim.client().configMaps().inNamespace(namespace).withName(V4_OBJECT).get().getData())
                .containsOnlyKeys("reservation", "reservation-ipv6");
        assertThat(store(4).verify()).isEmpty();
    }

    @Test
    void keepsBothFamiliesHeldAndCompletesTheMergeWhenAWriterStopsBetweenItsTwoWrites() throws Exception {
        oldFormObject(V4_OBJECT, "10.42.202.1");
        oldFormObject(V6_OBJECT, "fd00:10:42::1");
        // the writer dies on its second write: turning the IPv6 object into a tombstone
        sim.faults().failNext(1, "PUT", "/configmaps/" + V6_OBJECT + "$", 500);
        IpReservationLedger dying = new IpReservationLedger(store(1), LedgerStoreContract.CLOCK, new Random(1));
        assertThatThrownBy(() -> dying.reserveAll(dual, List.of(new ReplicaIdentity("ns", "web", 0)), Set.of(),
                Set.of(), "job/2")).hasMessageContaining("500");
        assertThat(objects()).containsExactly(V4_OBJECT, V6_OBJECT);

        assertThat(ledger().<List<Reservation>>read(v -> v.held("ns/web-0"))).extracting(Reservation::ip)
                .containsExactly("10.42.202.1", "fd00:10:42::1");
        assertThat(store(4).verify()).isEmpty();
        assertThat(ledger().reserveAll(dual, List.of(new ReplicaIdentity("ns", "api", 0)), Set.of(), Set.of(), "j")
                .get(0)).extracting(Reservation::ip).containsExactly("10.42.202.2", "fd00:10:42::2");
        deploy("job/3");
        assertThat(objects()).containsExactly(V4_OBJECT, "kubeplatform-ip-10.42.202.2");
    }

    @Test
    void movesTheIdentityToOneNewObjectWhenItIsReallocated() {
        deploy("job/1");
        sim.requests().clear();

        List<Reservation> moved = ledger().reserveAll(dual, List.of(new ReplicaIdentity("ns", "web", 0)),
                Set.of(LedgerTable.key("10.42.202.1")), Set.of("ns/web-0"), "job/2").get(0);

        // a reallocated identity takes fresh addresses in both families (the ones it leaves are not handed back)
        assertThat(moved).extracting(Reservation::ip).containsExactly("10.42.202.2", "fd00:10:42::2");
        assertThat(objects()).containsExactly("kubeplatform-ip-10.42.202.2");
        // the old object becomes a tombstone and is deleted before the new one is created: never two holders
        assertThat(writes()).containsExactly("update", "delete", "create");
        assertThat(ledger().<List<Reservation>>read(v -> v.held("ns/web-0"))).extracting(Reservation::ip)
                .containsExactly("10.42.202.2", "fd00:10:42::2");
    }

    @Test
    void completesAHalfWrittenPairOfThePreviousReleaseIntoOneObject() throws Exception {
        oldFormObject(V4_OBJECT, "10.42.202.1");

        List<Reservation> held = deploy("job/2");

        assertThat(held).extracting(Reservation::ip).containsExactly("10.42.202.1", "fd00:10:42::1");
        assertThat(objects()).containsExactly(V4_OBJECT);
        assertThat(sim.client().configMaps().inNamespace(namespace).withName(V4_OBJECT).get().getData())
                .containsOnlyKeys("reservation", "reservation-ipv6");
    }

    @Test
    void twoProcessesReservingDualStackIdentitiesAtOnceNeverShareAnAddress() throws Exception {
        Process p0 = WriterJvm.start(ClusterLedgerWriterProcess.class, sim.url(), namespace, "p0", "10", "dual");
        Process p1 = WriterJvm.start(ClusterLedgerWriterProcess.class, sim.url(), namespace, "p1", "10", "dual");
        List<String> acked = new ArrayList<>();
        for (Process p : List.of(p0, p1)) {
            WriterJvm.finish(p, l -> l.startsWith("ack "), 120).forEach(l -> acked.add(l.split(" ")[1]));
        }

        assertThat(acked).hasSize(40).doesNotHaveDuplicates();
        assertThat(acked.stream().filter(ip -> ip.contains(":"))).hasSize(20);
        assertThat(objects()).hasSize(20);
        assertThat(store(4).verify()).isEmpty();
        Map<Boolean, Long> families = ledger().read(v -> v.all().stream().collect(
                java.util.stream.Collectors.partitioningBy(r -> r.ip().contains(":"),
                        java.util.stream.Collectors.counting())));
        assertThat(families).containsEntry(true, 20L).containsEntry(false, 20L);
    }

    private static List<String> writes() {
        return sim.requests().matching(q -> !q.internal() && q.persisted()).stream().map(ApiRequest::verb).toList();
    }
}
