package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerStore.Decision;
import io.jenkins.plugins.kubeplatform.engine.store.FileIo;
import io.jenkins.plugins.kubeplatform.engine.store.PageCacheFileSystem;
import io.jenkins.plugins.kubeplatform.engine.store.PowerCuts;
import io.jenkins.plugins.kubeplatform.engine.store.StoreCorruptedException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journal segments are created at a fixed size filled with zeros (appends overwrite, forces flush data only), and the
 * next segment is prepared in the background. Recovery stops at the first record that is not intact, so a segment cut
 * anywhere reopens with exactly the records before the cut, and a power cut while the next segment is being prepared
 * loses nothing acknowledged.
 */
class PreallocatedSegmentTest {

    private static final int RECORDS = 6;
    private static final int SEGMENT_HEADER = 26;
    private static final int RECORD_OVERHEAD = 17 + 4; // header (length, sequence, type, checksum) + payload checksum

    @TempDir
    Path tmp;

    private static String identity(int i) {
        return "ns/app-" + i;
    }

    private static String ip(int i) {
        return "10.0.0." + (i + 1);
    }

    /** Start offsets of the records of a segment, and the end of the last one, read from the length fields. */
    private static List<Integer> boundaries(byte[] segment, int records) {
        List<Integer> at = new ArrayList<>();
        int pos = SEGMENT_HEADER;
        at.add(pos);
        for (int i = 0; i < records; i++) {
            pos += RECORD_OVERHEAD + ByteBuffer.wrap(segment).getInt(pos);
            at.add(pos);
        }
        return at;
    }

    private static Map<String, String> contents(JournaledLedgerStore store) {
        Map<String, String> found = new TreeMap<>();
        store.scan(100, page -> page.forEach(r -> found.put(r.identity(), r.ip())));
        return found;
    }

    private static Map<String, String> firstRecords(int count) {
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            expected.put(identity(i), ip(i));
        }
        return expected;
    }

    @Test
    void createsSegmentsAtAFixedSizeFilledWithZerosAfterTheRecords() throws Exception {
        Path dir = tmp.resolve("ledger");
        try (JournaledLedgerStore store = new JournaledLedgerStore(dir)) {
            for (int i = 0; i < RECORDS; i++) {
                JournaledLedgerStoreTest.put(store, identity(i), ip(i));
            }
        }
        byte[] segment = Files.readAllBytes(dir.resolve("journal-0.log"));
        int end = boundaries(segment, RECORDS).get(RECORDS);

        // 4096 records per segment by default, 256 bytes each: 1 MiB
        assertThat(segment).hasSize(1 << 20);
        assertThat(Arrays.copyOfRange(segment, end, segment.length)).containsOnly((byte) 0);
    }

    @Test
    void reopensWithExactlyTheRecordsBeforeTheCutWhenASegmentIsCutAnywhere() throws Exception {
        Path written = tmp.resolve("written");
        try (JournaledLedgerStore store = new JournaledLedgerStore(written)) {
            for (int i = 0; i < RECORDS; i++) {
                JournaledLedgerStoreTest.put(store, identity(i), ip(i));
            }
        }
        byte[] segment = Files.readAllBytes(written.resolve("journal-0.log"));
        List<Integer> at = boundaries(segment, RECORDS);
        int checked = 0;
        for (int k = 0; k < RECORDS; k++) {
            int start = at.get(k);
            int length = at.get(k + 1) - start;
            // at the boundary, inside the header, just after it, inside the payload, without the payload checksum
            for (int cut : new int[] {start, start + 5, start + 17, start + length / 2, start + length - 1}) {
                Path dir = tmp.resolve("cut-" + cut);
                Files.createDirectories(dir);
                byte[] lost = segment.clone();
                Arrays.fill(lost, cut, lost.length, (byte) 0); // what a power cut leaves of unforced writes
                Files.write(dir.resolve("journal-0.log"), lost);

                try (JournaledLedgerStore store = new JournaledLedgerStore(dir)) {
                    assertThat(contents(store)).as("cut at byte " + cut).isEqualTo(firstRecords(k));
                    JournaledLedgerStoreTest.put(store, "ns/after-cut", "10.0.1.1");
                }
                Map<String, String> expected = firstRecords(k);
                expected.put("ns/after-cut", "10.0.1.1");
                try (JournaledLedgerStore store = new JournaledLedgerStore(dir)) {
                    assertThat(contents(store)).as("cut at byte " + cut + ", then one more").isEqualTo(expected);
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(RECORDS * 5);
    }

    @Test
    void reportsZeroedRecordsFollowedByIntactOnesAsDamage() throws Exception {
        Path dir = tmp.resolve("ledger");
        try (JournaledLedgerStore store = new JournaledLedgerStore(dir)) {
            for (int i = 0; i < RECORDS; i++) {
                JournaledLedgerStoreTest.put(store, identity(i), ip(i));
            }
        }
        Path journal = dir.resolve("journal-0.log");
        byte[] segment = Files.readAllBytes(journal);
        List<Integer> at = boundaries(segment, RECORDS);
        Arrays.fill(segment, at.get(2), at.get(3), (byte) 0); // a lost block in the middle, records 4 to 6 intact
        Files.write(journal, segment);

        assertThatThrownBy(() -> new JournaledLedgerStore(dir).<Integer>read(LedgerView::size))
                .isInstanceOf(StoreCorruptedException.class).hasMessageContaining("journal-0.log")
                .hasMessageContaining("byte " + at.get(2)).hasMessageContaining("intact records follow it");
    }

    @Test
    void reportsBytesAfterTheSealOfASealedSegmentAsDamage() throws Exception {
        Path dir = tmp.resolve("ledger");
        try (JournaledLedgerStore store = new JournaledLedgerStore(dir, 3)) {
            for (int i = 0; i < 7; i++) {
                JournaledLedgerStoreTest.put(store, identity(i), ip(i));
                store.awaitCompaction();
            }
        }
        // segment 1: three records and the seal, then zeros; segment 2 follows
        Path journal = dir.resolve("journal-1.log");
        byte[] segment = Files.readAllBytes(journal);
        int end = boundaries(segment, 4).get(4);
        segment[end + 100] = 1;
        Files.write(journal, segment);
        Files.delete(dir.resolve("snapshot-2.bin")); // open from snapshot 1: segment 1 is replayed

        assertThatThrownBy(() -> new JournaledLedgerStore(dir, 3).<Integer>read(LedgerView::size))
                .isInstanceOf(StoreCorruptedException.class).hasMessageContaining("journal-1.log")
                .hasMessageContaining("follow the seal");
    }

    private static final Path DIR = Path.of("/pagecache/state/ip-ledger");

    /** 7 allocations, 4 records per segment: the next segment is prepared after each rotation and first append. */
    private static void allocations(FileIo io, List<Integer> acknowledged) throws Exception {
        try (JournaledLedgerStore store = new JournaledLedgerStore(DIR, 4, io)) {
            for (int i = 0; i < 7; i++) {
                JournaledLedgerStoreTest.put(store, identity(i), ip(i));
                acknowledged.add(i);
                store.awaitCompaction(); // preparation and compaction done: one file-system call order per run
            }
        }
    }

    @Test
    void keepsEveryAcknowledgedAllocationWhenPowerIsCutWhileTheNextSegmentIsPrepared() throws Exception {
        AtomicInteger withPreparedFile = new AtomicInteger();
        PowerCuts.Report report = PowerCuts.explore(PageCacheFileSystem::new, PreallocatedSegmentTest::allocations,
                (rebooted, acknowledged) -> {
                    boolean prepared = rebooted.list(DIR).stream()
                            .anyMatch(p -> p.getFileName().toString().matches("\\.journal-\\d+\\.tmp-.*"));
                    int k = acknowledged.size();
                    Map<String, String> found;
                    try (JournaledLedgerStore store = new JournaledLedgerStore(DIR, 4, rebooted)) {
                        found = contents(store);
                        if (!found.equals(firstRecords(k)) && !found.equals(firstRecords(k + 1))) {
                            return Optional.of("found " + found + ", acknowledged " + firstRecords(k));
                        }
                        // go on through a rotation: the leftover of the interrupted preparation is in no one's way
                        for (int i = 0; i < 5; i++) {
                            JournaledLedgerStoreTest.put(store, "ns/later-" + i, "10.0.2." + (i + 1));
                        }
                        store.awaitCompaction();
                    }
                    try (JournaledLedgerStore store = new JournaledLedgerStore(DIR, 4, rebooted)) {
                        if (contents(store).size() != found.size() + 5) {
                            return Optional.of("after 5 more allocations: " + contents(store));
                        }
                    }
                    if (prepared) {
                        withPreparedFile.incrementAndGet();
                    }
                    return Optional.empty();
                });

        assertThat(report.maxAcknowledged()).isEqualTo(7);
        assertThat(report.problems()).isEmpty();
        // some cuts fell while a zero-filled next segment existed only under its temporary name
        assertThat(withPreparedFile.get()).isGreaterThan(0);
    }
}
