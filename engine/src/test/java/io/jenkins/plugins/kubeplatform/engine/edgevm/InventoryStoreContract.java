package io.jenkins.plugins.kubeplatform.engine.edgevm;

import static io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeFixtures.T0;
import static io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore;
import io.jenkins.plugins.kubeplatform.engine.store.WriterJvm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every home of the edge-VM inventory guarantees (file and cluster): an acknowledged change is what the next
 * reader of any instance sees, a decision that throws or changes nothing writes nothing, an ended record is kept and
 * its VM name is free again, and concurrent writers (threads on two instances, two JVMs) never lose an update or
 * record one live VM twice.
 */
abstract class InventoryStoreContract {

    /** A new instance on the same home as every other instance of this test. */
    abstract StateStore<Inventory> instance();

    /** A JVM running {@link InventoryWriterProcess} on the same home with {@code role} and {@code count}. */
    abstract Process writerProcess(String role, int count) throws Exception;

    static final EdgeClusterRecord CLUSTER = new EdgeClusterRecord(EdgeSettings.EdgeCluster.builder().name("edge-new-1")
            .location("48.86,2.35").maxNodes(4).joinMethod("k3s").server("https://edge-new:6443").build(), "paris",
            false, T0);

    static VmRecord vm(String name, Instant start) {
        VmRecord r = record("demo", name, "paris", "edge-par", 2, 2048, VmState.RUNNING);
        return VmRecord.builder().vm(r.vm()).name(r.name()).tenant(r.tenant()).site(r.site())
                .siteCluster(r.siteCluster()).namespace(r.namespace()).edgeCluster(r.edgeCluster()).node(r.node())
                .cpu(r.cpu()).memoryMi(r.memoryMi()).diskGi(r.diskGi()).image(r.image()).state(r.state()).start(start)
                .build();
    }

    @Test
    void readsTheEmptyInventoryWhenNothingWasWritten() {
        assertThat(instance().read()).isEqualTo(Inventory.empty());
    }

    @Test
    void showsEveryAcknowledgedRecordToAnotherInstanceWhenItReads() {
        VmRecord a = vm("a", T0);
        VmRecord b = vm("b", T0.plusSeconds(60)).joined("demo-b", "10.9.0.7");
        String result = instance().update(inv -> Update.to(inv.add(a).add(b).addCluster(CLUSTER), "done"));

        assertThat(result).isEqualTo("done");
        Inventory seen = instance().read();
        assertThat(seen.vms()).containsExactly(a, b);
        assertThat(seen.createdClusters()).containsExactly(CLUSTER);
    }

    @Test
    void writesNothingWhenTheDecisionIsUnchangedOrThrows() {
        StateStore<Inventory> store = instance();
        assertThat(store.<Integer>update(inv -> Update.unchanged(inv.add(vm("a", T0)), 1))).isEqualTo(1);
        assertThatThrownBy(() -> store.update(inv -> {
            throw new IllegalStateException("refused");
        })).hasMessage("refused");

        assertThat(instance().read()).isEqualTo(Inventory.empty());
    }

    @Test
    void keepsTheEndedRecordAndFreesItsNameWhenANewVmTakesIt() {
        StateStore<Inventory> store = instance();
        VmRecord first = vm("web", T0);
        store.update(inv -> Update.to(inv.add(first), null));
        store.update(inv -> Update.to(inv.update(first.vm(), r -> r.ended(T0.plusSeconds(3600))), null));
        VmRecord second = vm("web", T0.plusSeconds(7200));
        store.update(inv -> Update.to(inv.add(second), null));

        Inventory seen = instance().read();
        assertThat(seen.vms()).containsExactly(first.ended(T0.plusSeconds(3600)), second);
        assertThat(seen.liveVm("demo-web")).contains(second);
    }

    @Test
    void losesNoUpdateWhenTwoInstancesChangeOneRecordFromManyThreads() throws Exception {
        instance().update(inv -> Update.to(inv.add(vm("shared", T0)), null));
        List<StateStore<Inventory>> stores = List.of(instance(), instance());
        int perThread = 5;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                StateStore<Inventory> store = stores.get(t % 2);
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        store.update(inv -> Update.to(inv.update("demo-shared",
                                r -> r.toBuilder().attempts(r.attempts() + 1).build()), null));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(instance().read().liveVm("demo-shared").orElseThrow().attempts()).isEqualTo(4 * perThread);
    }

    @Test
    void recordsEachVmOnceAndLosesNoUpdateWhenTwoProcessesWriteAtOnce() throws Exception {
        instance().update(inv -> Update.to(inv.add(vm("counter", T0)), null));
        int count = 6;
        Process p0 = writerProcess("p0", count);
        Process p1 = writerProcess("p1", count);
        int created = 0;
        for (Process p : List.of(p0, p1)) {
            created += (int) WriterJvm.finish(p, l -> l.equals("created") || l.equals("existing"), 120).stream()
                    .filter("created"::equals).count();
        }
        Inventory seen = instance().read();
        assertThat(created).as("each shared VM created by exactly one process").isEqualTo(count);
        assertThat(seen.live()).extracting(VmRecord::name).doesNotHaveDuplicates().hasSize(count + 1);
        assertThat(seen.liveVm("demo-counter").orElseThrow().attempts()).isEqualTo(2 * count);
    }
}
