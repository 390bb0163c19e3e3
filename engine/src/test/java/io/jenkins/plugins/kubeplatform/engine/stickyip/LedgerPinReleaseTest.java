package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerStore.Decision;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIP-15: the reason and time of a released pin persist on the reservation through journal, snapshot and reopen. */
class LedgerPinReleaseTest {

    private static final Instant AT = Instant.parse("2026-12-06T21:00:00.123456789Z");
    private static final Reservation.PinRelease CORDONED = new Reservation.PinRelease(AT, "n3",
            "node n3 cordoned by repairNode (ops#7)");

    @TempDir
    Path dir;

    private static IpReservationLedger ledger(JournaledLedgerStore store) {
        return new IpReservationLedger(store, Clock.fixed(AT, ZoneOffset.UTC), new Random(1));
    }

    private static void put(JournaledLedgerStore store, String identity, String ip) {
        store.update(v -> new Decision<>(List.of(new LedgerChange.Put(JournaledLedgerStoreTest.reservation(identity,
                ip))), null));
    }

    @Test
    void keepsTheReasonAndTimeThroughTheJournalWhenReopened() {
        JournaledLedgerStore store = new JournaledLedgerStore(dir);
        put(store, "shop/web-0", "10.42.200.7");
        put(store, "shop/web-1", "10.42.200.8");

        Optional<Reservation> recorded = ledger(store).recordPinRelease("shop/web-0", CORDONED);
        store.close();

        assertThat(recorded).map(Reservation::revision).contains(2L);
        IpReservationLedger reopened = ledger(new JournaledLedgerStore(dir));
        Reservation r = reopened.get("shop/web-0").orElseThrow();
        assertThat(r.pinRelease()).isEqualTo(CORDONED);
        assertThat(r.ip()).isEqualTo("10.42.200.7");
        assertThat(reopened.get("shop/web-1").orElseThrow().pinRelease()).isNull();
    }

    @Test
    void keepsTheReasonThroughACompactedSnapshotAndLaterChangesOfTheReservation() throws Exception {
        JournaledLedgerStore store = new JournaledLedgerStore(dir, 3);
        put(store, "shop/web-0", "10.42.200.7");
        IpReservationLedger ledger = ledger(store);
        ledger.recordPinRelease("shop/web-0", CORDONED);
        ledger.recordNodes(java.util.Map.of("shop/web-0", "n5")); // moved: the release stays recorded
        for (int i = 1; i <= 5; i++) {
            put(store, "shop/other-" + i, "10.42.200." + (20 + i));
        }
        store.checkpoint();
        store.awaitCompaction();
        store.close();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.matches("snapshot-\\d+\\.bin"));
        }
        // only the newest snapshot and an empty segment after it are read
        JournaledLedgerStore reopened = new JournaledLedgerStore(dir, 3);
        Reservation r = reopened.<Optional<Reservation>>read(v -> v.get("shop/web-0")).orElseThrow();
        assertThat(r.pinRelease()).isEqualTo(CORDONED);
        assertThat(r.node()).isEqualTo("n5");
    }

    @Test
    void readsASnapshotOfFormatVersion1WithoutReleasedPins() throws Exception {
        // a version-1 snapshot, written byte by byte as the previous release wrote it: one reservation
        ByteBuffer record = ByteBuffer.allocate(512);
        byte[] identity = "shop/web-0".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] pool = "default".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        record.putInt(1).putShort((short) pool.length).put(pool); // string table: 1 string
        record.putShort((short) identity.length).put(identity).putInt(0) // identity, pool #0
                .putLong(0).putLong(0x0000_FFFF_0A2A_C807L) // ::ffff:10.42.200.7
                .put((byte) 0).putInt(-1).putInt(-1) // flags, no node, no owner
                .putLong(1_000_000_000L).putLong(Long.MIN_VALUE).putLong(4); // created, not idle, revision
        record.flip();
        ByteBuffer file = ByteBuffer.allocate(1024);
        ByteBuffer header = ByteBuffer.allocate(LedgerCodec.SNAPSHOT_HEADER);
        header.putInt(LedgerCodec.SNAPSHOT_MAGIC).putShort((short) 1).putLong(0).putLong(0).putLong(1);
        header.putInt(LedgerCodec.crc(header, 0, header.position())).flip();
        file.put(header);
        file.putInt(1).putInt(record.remaining()).putInt(LedgerCodec.crc(record, 0, record.remaining())).put(record);
        ByteBuffer end = ByteBuffer.allocate(8).putLong(1).flip();
        file.putInt(0).putInt(8).putInt(LedgerCodec.crc(end, 0, 8)).put(end);
        Path snapshot = dir.resolve("snapshot-v1.bin");
        Files.write(snapshot, java.util.Arrays.copyOf(file.array(), file.position()));

        LedgerTable table = new LedgerTable();
        try (FileChannel in = FileChannel.open(snapshot, StandardOpenOption.READ)) {
            assertThat(LedgerCodec.readSnapshot(in, table).version()).isEqualTo(1);
        }
        Reservation r = table.get("shop/web-0").orElseThrow();
        assertThat(r.ip()).isEqualTo("10.42.200.7");
        assertThat(r.revision()).isEqualTo(4);
        assertThat(r.pinRelease()).isNull();
    }
}
