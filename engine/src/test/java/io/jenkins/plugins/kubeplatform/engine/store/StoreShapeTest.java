package io.jenkins.plugins.kubeplatform.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmEngine;
import io.jenkins.plugins.kubeplatform.engine.edgevm.Inventory;
import io.jenkins.plugins.kubeplatform.engine.edgevm.VmRecord;
import io.jenkins.plugins.kubeplatform.engine.edgevm.VmState;
import io.jenkins.plugins.kubeplatform.engine.stickyip.JournaledLedgerStore;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerChange;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerView;
import io.jenkins.plugins.kubeplatform.engine.stickyip.Reservation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One routine written against {@link Store} runs on the ledger store and on a state store alike. */
class StoreShapeTest {

    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    /** Decides "nothing", then a change; returns both results and what {@code probe} reads afterwards. */
    static <V, C> List<Object> noneThenChange(Store<V, C> store, Function<V, C> change, Function<V, Object> probe) {
        Object kept = store.decide(v -> Store.Decision.none("kept"));
        Object afterNone = store.read(probe);
        Object written = store.decide(v -> Store.Decision.to(change.apply(v), "written"));
        return List.of(kept, afterNone, written, store.read(probe));
    }

    @Test
    void runsOneRoutineOnTheLedgerStoreWhenItIsSeenAsAStore(@TempDir Path dir) {
        Reservation r = new Reservation("shop/web-0", "default", "10.42.200.9", Reservation.Kind.MANAGED,
                Reservation.State.ACTIVE, null, null, "test", T0, 1);
        try (JournaledLedgerStore ledger = new JournaledLedgerStore(dir.resolve("ip-ledger"))) {
            assertThat(noneThenChange(ledger, v -> List.<LedgerChange>of(new LedgerChange.Put(r)),
                    LedgerView::size)).containsExactly("kept", 0, "written", 1);
        }
        try (JournaledLedgerStore reopened = new JournaledLedgerStore(dir.resolve("ip-ledger"))) {
            assertThat(reopened.<Integer>read(LedgerView::size)).isEqualTo(1);
        }
    }

    @Test
    void runsOneRoutineOnTheInventoryStoreWhenItIsSeenAsAStore(@TempDir Path dir) {
        VmRecord vm = VmRecord.builder().vm("demo-web").name("web").tenant("demo").site("paris").namespace("edge-paris")
                .edgeCluster("edge-par").cpu(2).memoryMi(2048).diskGi(10).image("quay.io/containerdisks/ubuntu:22.04")
                .state(VmState.PROVISIONING).start(T0).build();

        assertThat(noneThenChange(EdgeVmEngine.inventoryStore(dir), inv -> inv.add(vm), inv -> inv.vms().size()))
                .containsExactly("kept", 0, "written", 1);
        assertThat(EdgeVmEngine.inventoryStore(dir).read().vms()).containsExactly(vm);
    }
}
