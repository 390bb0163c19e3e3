package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerStore.Decision;
import io.jenkins.plugins.kubeplatform.engine.store.StoreCorruptedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournaledLedgerStoreTest {

    @TempDir
    Path dir;

    static Reservation reservation(String identity, String ip) {
        return new Reservation(identity, "default", ip, Reservation.Kind.MANAGED, Reservation.State.ACTIVE, null, null,
                "test", Instant.parse("2026-01-01T00:00:00Z"), 1);
    }

    static void put(LedgerStore store, String identity, String ip) {
        store.update(v -> new Decision<>(List.of(new LedgerChange.Put(reservation(identity, ip))), null));
    }

    @Test
    void readsBackWhatAnotherInstanceWrote() {
        put(new JournaledLedgerStore(dir), "ns/app-0", "10.0.0.1");

        JournaledLedgerStore other = new JournaledLedgerStore(dir);

        assertThat(other.<java.util.Optional<Reservation>>read(v -> v.get("ns/app-0"))).map(Reservation::ip).contains("10.0.0.1");
        assertThat(other.<java.util.Optional<Reservation>>read(v -> v.holderOf("10.0.0.1"))).map(Reservation::identity).contains("ns/app-0");
    }

    @Test
    void seesChangesOfAnotherInstanceOnTheSameDirectory() {
        JournaledLedgerStore a = new JournaledLedgerStore(dir);
        JournaledLedgerStore b = new JournaledLedgerStore(dir);
        put(a, "ns/app-0", "10.0.0.1");
        put(b, "ns/app-1", "10.0.0.2");
        a.update(v -> new Decision<>(List.of(new LedgerChange.Remove("ns/app-1")), null));

        assertThat(b.<Integer>read(LedgerView::size)).isEqualTo(1);
        assertThat(b.<Boolean>read(v -> v.reserved().isTaken(LedgerTable.address("10.0.0.2")))).isFalse();
    }

    @Test
    void refusesToGiveOneAddressToTwoIdentities() {
        JournaledLedgerStore store = new JournaledLedgerStore(dir);
        put(store, "ns/app-0", "10.0.0.1");

        assertThatThrownBy(() -> put(store, "ns/other-0", "10.0.0.1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("10.0.0.1 is held by ns/app-0");
        assertThat(new JournaledLedgerStore(dir).<Integer>read(LedgerView::size)).isEqualTo(1);
    }

    @Test
    void writesNothingForAnEmptyDecision() throws Exception {
        JournaledLedgerStore store = new JournaledLedgerStore(dir);
        store.update(v -> Decision.none(null));

        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsOnly("ledger.lock");
        }
    }

    @Test
    void foldsSealedSegmentsIntoSnapshotsInTheBackgroundAndKeepsEverything() throws Exception {
        JournaledLedgerStore store = new JournaledLedgerStore(dir, 5);
        for (int i = 1; i <= 12; i++) {
            put(store, "ns/app-" + i, "10.0.0." + i);
        }
        store.update(v -> new Decision<>(List.of(new LedgerChange.Remove("ns/app-3")), null));
        store.awaitCompaction();
        store.close(); // keeps the next segment it prepared in the background for the next instance

        JournaledLedgerStore fresh = new JournaledLedgerStore(dir, 5);
        assertThat(fresh.<Integer>read(LedgerView::size)).isEqualTo(11);
        assertThat(fresh.<java.util.Optional<Reservation>>read(v -> v.get("ns/app-3"))).isEmpty();
        // 13 records, 5 per segment: segments 0, 1 and 2; snapshot N folds the segments below N and needs the
        // segments from N on, so with snapshots 1 and 2 kept as backups segment 0 is the only one removed
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "ledger.lock", "snapshot-1.bin", "snapshot-2.bin", "journal-1.log", "journal-2.log",
                    JournaledLedgerStore.KEPT_SEGMENT);
        }
    }

    @Test
    void foldsTheOlderSnapshotAndTheJournalIntoTheNewSnapshotEntryByEntry() throws Exception {
        JournaledLedgerStore store = new JournaledLedgerStore(dir, 1000);
        java.util.Map<String, String> expected = new java.util.TreeMap<>();
        for (int i = 1; i <= 40; i++) {
            put(store, "ns/app-" + i, "10.0.0." + i);
            expected.put("ns/app-" + i, "10.0.0." + i);
        }
        store.checkpoint();
        store.awaitCompaction(); // snapshot-1: the first segment folded on its own
        // after it: one moved, one removed and its address given to a newcomer, one removed, one new in one record
        put(store, "ns/app-5", "10.0.0.200");
        expected.put("ns/app-5", "10.0.0.200");
        store.update(v -> new Decision<>(List.of(new LedgerChange.Remove("ns/app-7"),
                new LedgerChange.Put(reservation("ns/late-1", "10.0.0.7"))), null));
        expected.remove("ns/app-7");
        expected.put("ns/late-1", "10.0.0.7");
        store.update(v -> new Decision<>(List.of(new LedgerChange.Remove("ns/app-9"),
                new LedgerChange.Put(reservation("ns/late-2", "10.0.0.201")),
                new LedgerChange.Remove("ns/late-2")), null));
        expected.remove("ns/app-9");
        store.checkpoint();
        store.awaitCompaction(); // snapshot-2: snapshot-1 streamed, the second segment as an overlay

        LedgerTable folded = new LedgerTable();
        try (var in = java.nio.channels.FileChannel.open(dir.resolve("snapshot-2.bin"), StandardOpenOption.READ)) {
            LedgerCodec.SnapshotInfo info = LedgerCodec.readSnapshot(in, folded);
            assertThat(info.count()).isEqualTo(39); // 40, one moved, one replaced, one removed
        }
        java.util.Map<String, String> actual = new java.util.TreeMap<>();
        folded.all().forEach(r -> actual.put(r.identity(), r.ip()));
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void reloadsWhenAnotherInstanceCompacted() throws Exception {
        JournaledLedgerStore a = new JournaledLedgerStore(dir, 3);
        JournaledLedgerStore b = new JournaledLedgerStore(dir, 3);
        put(b, "ns/app-0", "10.0.0.100");
        for (int i = 1; i <= 7; i++) {
            put(a, "ns/app-" + i, "10.0.0." + i);
        }

        assertThat(b.<Integer>read(LedgerView::size)).isEqualTo(8);
        // background folds still running would race with the removal of the temporary directory
        a.awaitCompaction();
        b.awaitCompaction();
    }

    @Test
    void ignoresATornLastRecordAndCutsItOffOnTheNextWrite() throws Exception {
        JournaledLedgerStore store = new JournaledLedgerStore(dir);
        put(store, "ns/app-0", "10.0.0.1");
        store.close();
        Path journal = dir.resolve("journal-0.log");
        long size = Files.size(journal);
        byte[] before = Files.readAllBytes(journal);
        long header = 26;
        // record: length (4), sequence (8), type (1), header checksum (4), payload, payload checksum (4)
        long record = 17 + java.nio.ByteBuffer.wrap(before).getInt((int) header) + 4;
        long intact = header + record;
        // the start of a record whose payload and commit marker never reached the disk, over the preallocated zeros
        // (longer than the record that replaces it, so only zeroing removes its end)
        byte[] torn = new byte[(int) record + 50];
        java.util.Arrays.fill(torn, (byte) 9);
        System.arraycopy(new byte[] {0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 2, 1}, 0, torn, 0, 13);
        try (var channel = java.nio.channels.FileChannel.open(journal, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(torn), intact);
        }

        JournaledLedgerStore reopened = new JournaledLedgerStore(dir);
        assertThat(reopened.<Integer>read(LedgerView::size)).isEqualTo(1);
        put(reopened, "ns/app-1", "10.0.0.2");
        reopened.close();

        assertThat(new JournaledLedgerStore(dir).<Integer>read(LedgerView::size)).isEqualTo(2);
        // header, then two records of the same shape where the torn one was, then zeros: the torn bytes are gone
        byte[] after = Files.readAllBytes(journal);
        assertThat(after.length).isEqualTo(size);
        assertThat(java.nio.ByteBuffer.wrap(after).getInt((int) intact)).isEqualTo((int) (record - 21));
        for (int i = (int) (intact + record); i < after.length; i++) {
            assertThat(after[i]).as("byte " + i).isZero();
        }
    }

    @Test
    void reportsADamagedRecordFollowedByIntactOnesAsCorruption() throws Exception {
        JournaledLedgerStore store = new JournaledLedgerStore(dir);
        put(store, "ns/app-0", "10.0.0.1");
        put(store, "ns/app-1", "10.0.0.2");
        store.close();
        Path journal = dir.resolve("journal-0.log");
        byte[] bytes = Files.readAllBytes(journal);
        bytes[26 + 17 + 10] ^= 0x40; // inside the first record's payload
        Files.write(journal, bytes);

        assertThatThrownBy(() -> new JournaledLedgerStore(dir).<Integer>read(LedgerView::size))
                .isInstanceOf(StoreCorruptedException.class).hasMessageContaining("journal-0.log")
                .hasMessageContaining("byte 26").hasMessageContaining("intact records follow");
    }
}
