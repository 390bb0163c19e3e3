package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerStore.Decision;
import io.jenkins.plugins.kubeplatform.engine.store.FileIo;
import io.jenkins.plugins.kubeplatform.engine.store.PageCacheFileSystem;
import io.jenkins.plugins.kubeplatform.engine.store.PowerCuts;
import io.jenkins.plugins.kubeplatform.engine.store.StoreException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The IP ledger against a file system that loses its page cache at a power cut placed at every write boundary
 * (issue 23, item 3): journal appends, seals, segment starts, snapshots and pruning. Every acknowledged allocation and
 * release survives every cut and the ledger opens; without the journal's {@code force()} acknowledged allocations are
 * lost, which shows the test bites.
 */
class LedgerPowerCutTest {

    private static final Path DIR = Path.of("/pagecache/state/ip-ledger");

    /** Allocations "+identity=ip" and releases "-identity", in this order; 3 records per segment, so it rotates. */
    private static final List<String> OPS = List.of("+keep/app-0=10.42.200.10", "+keep/app-1=10.42.200.11",
            "+keep/app-2=10.42.200.12", "-keep/app-1", "+keep/app-3=10.42.200.13", "+keep/app-4=10.42.200.14",
            "+keep/app-5=10.42.200.15", "-keep/app-3", "+keep/app-1=10.42.200.16", "+keep/app-6=10.42.200.17",
            "+keep/app-7=10.42.200.18");

    private static void allocations(FileIo io, List<String> acknowledged) throws Exception {
        try (JournaledLedgerStore store = new JournaledLedgerStore(DIR, 3, io)) {
            for (String op : OPS) {
                if (op.startsWith("+")) {
                    String[] parts = op.substring(1).split("=");
                    JournaledLedgerStoreTest.put(store, parts[0], parts[1]);
                } else {
                    store.update(v -> new Decision<>(List.of(new LedgerChange.Remove(op.substring(1))), null));
                }
                acknowledged.add(op);
                store.awaitCompaction(); // one file-system call order, so every cut is reproducible
            }
        }
    }

    /** Identity to IP after the first {@code count} operations, computed without the code under test. */
    private static Map<String, String> ledgerAfter(int count) {
        Map<String, String> ledger = new TreeMap<>();
        for (String op : OPS.subList(0, Math.min(count, OPS.size()))) {
            if (op.startsWith("+")) {
                ledger.put(op.substring(1).split("=")[0], op.split("=")[1]);
            } else {
                ledger.remove(op.substring(1));
            }
        }
        return ledger;
    }

    private static Optional<String> survives(FileIo rebooted, List<String> acknowledged) {
        Map<String, String> found = new TreeMap<>();
        try (JournaledLedgerStore store = new JournaledLedgerStore(DIR, 3, rebooted)) {
            store.scan(100, page -> page.forEach(r -> found.put(r.identity(), r.ip())));
        }
        int k = acknowledged.size();
        return found.equals(ledgerAfter(k)) || found.equals(ledgerAfter(k + 1)) ? Optional.empty()
                : Optional.of("found " + found + ", acknowledged " + ledgerAfter(k));
    }

    @Test
    void keepsEveryAcknowledgedAllocationWhenPowerIsCutAtAnyWriteBoundary() throws Exception {
        PowerCuts.Report report = PowerCuts.explore(PageCacheFileSystem::new, LedgerPowerCutTest::allocations,
                LedgerPowerCutTest::survives);

        assertThat(report.maxAcknowledged()).isEqualTo(OPS.size());
        // 11 appends and forces, 3 seals, 4 segment starts, 3 snapshots: well over a hundred calls
        assertThat(report.boundaries()).isGreaterThan(60);
        System.out.println(report.boundaries() + " write boundaries, " + report.reboots() + " reboots checked");
        assertThat(report.problems()).isEmpty();
    }

    @Test
    void losesAcknowledgedAllocationsWhenTheJournalForceIsSkipped() throws Exception {
        Supplier<PageCacheFileSystem> withoutForce = () -> new PageCacheFileSystem()
                .skipForce(p -> p.getFileName().toString().matches("journal-\\d+\\.log"));

        PowerCuts.Report report = PowerCuts.explore(withoutForce, LedgerPowerCutTest::allocations,
                LedgerPowerCutTest::survives);

        assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("ALL_UNSYNCED")
                .contains("found {}"));
    }

    @Test
    void reportsAFullDiskAndKeepsEveryAcknowledgedAllocation() throws Exception {
        PageCacheFileSystem fs = new PageCacheFileSystem();
        JournaledLedgerStore store = new JournaledLedgerStore(DIR, 100, fs);
        JournaledLedgerStoreTest.put(store, "keep/app-0", "10.42.200.10");
        fs.diskFullFromWrite(1);

        assertThatThrownBy(() -> JournaledLedgerStoreTest.put(store, "keep/app-1", "10.42.200.11"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(DIR.toString())
                .hasMessageContaining("No space left on device");

        fs.diskFullFromWrite(Long.MAX_VALUE);
        JournaledLedgerStoreTest.put(store, "keep/app-2", "10.42.200.12");
        store.close();
        try (JournaledLedgerStore reopened = new JournaledLedgerStore(DIR, 100,
                fs.afterPowerCut(PageCacheFileSystem.Loss.ALL_UNSYNCED, 1))) {
            assertThat(reopened.<Integer>read(LedgerView::size)).isEqualTo(2);
            assertThat(reopened.<Optional<Reservation>>read(v -> v.get("keep/app-0"))).isPresent();
            assertThat(reopened.<Optional<Reservation>>read(v -> v.get("keep/app-2"))).isPresent();
        }
    }

    @Test
    void reportsAReadOnlyDirectoryNamingItAndChangesNothing() throws Exception {
        PageCacheFileSystem fs = new PageCacheFileSystem();
        try (JournaledLedgerStore store = new JournaledLedgerStore(DIR, 100, fs)) {
            JournaledLedgerStoreTest.put(store, "keep/app-0", "10.42.200.10");
        }
        byte[] journal = fs.contents(DIR.resolve("journal-0.log"));
        fs.readOnly(DIR);

        JournaledLedgerStore store = new JournaledLedgerStore(DIR, 100, fs);
        assertThatThrownBy(() -> JournaledLedgerStoreTest.put(store, "keep/app-1", "10.42.200.11"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(DIR.toString())
                .hasMessageContaining("Read-only file system");
        assertThat(fs.contents(DIR.resolve("journal-0.log"))).isEqualTo(journal);
    }

    @Test
    void refusesALedgerWhoseSnapshotsWereDeletedNamingWhatIsMissing() throws Exception {
        PageCacheFileSystem fs = new PageCacheFileSystem();
        allocations(fs, new java.util.ArrayList<>()); // three rotations: segment 0 is folded and pruned
        assertThat(fs.exists(DIR.resolve("journal-0.log"))).isFalse();
        for (Path p : fs.list(DIR)) {
            if (p.getFileName().toString().startsWith("snapshot-")) {
                fs.deleteIfExists(p);
            }
        }
        byte[] journal = fs.contents(DIR.resolve("journal-1.log"));

        JournaledLedgerStore store = new JournaledLedgerStore(DIR, 3, fs);
        assertThatThrownBy(() -> store.<Integer>read(LedgerView::size))
                .isInstanceOf(io.jenkins.plugins.kubeplatform.engine.store.StoreCorruptedException.class)
                .hasMessageContaining("no snapshot covers the segments before it")
                .hasMessageContaining("ip-ledger restore");
        assertThatThrownBy(() -> JournaledLedgerStoreTest.put(store, "keep/app-9", "10.42.200.19"))
                .isInstanceOf(io.jenkins.plugins.kubeplatform.engine.store.StoreCorruptedException.class);
        assertThat(fs.contents(DIR.resolve("journal-1.log"))).isEqualTo(journal);
    }
}
