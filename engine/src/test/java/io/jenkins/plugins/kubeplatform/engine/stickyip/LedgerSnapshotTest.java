package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerSnapshotTest {

    @TempDir
    Path dir;

    private static List<Reservation> sample(int n) {
        List<Reservation> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean idle = i % 3 == 0;
            all.add(new Reservation("ns/app-" + i, i % 2 == 0 ? "blue" : "green", "10.9." + (i / 250) + "." + (i % 250 + 1),
                    i % 5 == 0 ? Reservation.Kind.ADOPTED : Reservation.Kind.MANAGED,
                    idle ? Reservation.State.IDLE : Reservation.State.ACTIVE, i % 7 == 0 ? null : "node-" + (i % 4),
                    idle ? Instant.parse("2026-02-01T10:00:00.123456789Z") : null, i % 11 == 0 ? null : "job#" + (i % 9),
                    Instant.parse("2026-01-01T00:00:00Z").plusNanos(i), i + 1, i % 13 == 0
                    ? new Reservation.PinRelease(Instant.parse("2026-03-01T00:00:00Z").plusSeconds(i), "node-" + (i % 4),
                    "node node-" + (i % 4) + " was deleted") : null));
        }
        all.add(new Reservation("v6/app-0", "six", "fd00:10:42::7", Reservation.Kind.MANAGED, Reservation.State.ACTIVE,
                null, null, "cli", Instant.parse("2026-01-01T00:00:00Z"), 3));
        return all;
    }

    private Path write(List<Reservation> reservations) throws IOException {
        LedgerTable table = new LedgerTable();
        reservations.forEach(r -> table.apply(new LedgerChange.Put(r)));
        Path file = dir.resolve("snapshot-4.bin");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            LedgerCodec.writeSnapshot(table, out, 4, 99);
        }
        return file;
    }

    private static LedgerTable read(Path file) throws IOException {
        LedgerTable table = new LedgerTable();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            LedgerCodec.readSnapshot(in, table);
        }
        return table;
    }

    @Test
    void flushesALargeSnapshotAsItGoesSoAnAllocationsForceNeverWaitsBehindAllOfIt() throws Exception {
        // a snapshot of 200,000 reservations (over 10 MiB) written through the page-cache file system without its
        // final force: a power cut then keeps everything the writer flushed along the way
        io.jenkins.plugins.kubeplatform.engine.store.PageCacheFileSystem fs =
                new io.jenkins.plugins.kubeplatform.engine.store.PageCacheFileSystem();
        Path file = Path.of("/pagecache/ledger/.snapshot-9.tmp");
        fs.createDirectories(file.getParent());
        try (FileChannel out = fs.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            LedgerCodec.writeSnapshot(visitor -> {
                for (int i = 0; i < 200_000; i++) {
                    visitor.visit(("ns/app-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8), "blue", 0,
                            0x0000_FFFF_0A00_0000L + i, (byte) 0, "node-" + (i % 4), "job#1", i, Long.MIN_VALUE, i + 1,
                            null);
                }
            }, out, 9, 1);
        }
        int written = fs.contents(file).length;

        int durable = fs.afterPowerCut(io.jenkins.plugins.kubeplatform.engine.store.PageCacheFileSystem.Loss.KEEP_ENTRIES, 1)
                .contents(file).length;

        assertThat(written).isGreaterThan(10 << 20);
        // flushed every 4 MiB: at most 4 MiB plus one block and the trailer are still only in the page cache
        assertThat(durable).isGreaterThanOrEqualTo(written - (5 << 20));
    }

    @Test
    void readsBackEveryFieldOfEveryReservationAcrossSeveralBlocks() throws Exception {
        List<Reservation> written = sample(9000); // three blocks of at most 4096

        LedgerTable table = read(write(written));

        assertThat(table.all().stream().sorted(Comparator.comparing(Reservation::identity)).toList())
                .isEqualTo(written.stream().sorted(Comparator.comparing(Reservation::identity)).toList());
        assertThat(table.holderOf("fd00:10:42::7")).map(Reservation::identity).contains("v6/app-0");
    }

    @Test
    void streamsEveryRecordNotSkippedIntoAnotherSnapshotWhenBlocksAndIdentityLengthsVary() throws Exception {
        List<Reservation> written = sample(9000); // three blocks; identities of 8 to 11 bytes share reused arrays
        Path source = write(written);
        java.util.Set<String> skipped = new java.util.HashSet<>();
        for (int i = 0; i < 9000; i += 97) {
            skipped.add("ns/app-" + i);
        }
        int[] hashes = skipped.stream().mapToInt(id -> java.util.Arrays.hashCode(
                id.getBytes(java.nio.charset.StandardCharsets.UTF_8))).sorted().toArray();
        int[] asked = {0};
        Path copy = dir.resolve("snapshot-5.bin");
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            LedgerCodec.writeSnapshot(visitor -> LedgerCodec.readSnapshot(in, LedgerCodec.streaming(visitor, key -> {
                asked[0]++; // the skip test is asked about (identity, family) keys; the sample is IPv4 only
                return skipped.contains(LedgerTable.identityOfFamilyKey(key)) && key.endsWith("v4");
            }, hash -> java.util.Arrays.binarySearch(hashes, hash) >= 0)), out, 5, 100);
        }

        LedgerTable table = read(copy);
        assertThat(table.all().stream().sorted(Comparator.comparing(Reservation::identity)).toList())
                .isEqualTo(written.stream().filter(r -> !skipped.contains(r.identity()))
                        .sorted(Comparator.comparing(Reservation::identity)).toList());
        // only identities whose hash is among the skipped ones are built and asked about
        assertThat(asked[0]).isBetween(skipped.size(), skipped.size() + 5);
    }

    @Test
    void namesTheDamagedBlockWhenAByteIsFlipped() throws Exception {
        Path file = write(sample(9000));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);

        assertThatThrownBy(() -> read(file)).isInstanceOf(IOException.class)
                .hasMessageMatching("block at byte \\d+ \\(reservations 4097\\.\\.8192\\) fails its checksum");
    }

    @Test
    void tellsATruncatedSnapshotFromAComplete() throws Exception {
        Path file = write(sample(9000));
        byte[] bytes = Files.readAllBytes(file);
        // cut exactly after the last reservation block: only the closing count block is missing
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 12 - 8));

        assertThatThrownBy(() -> read(file)).isInstanceOf(IOException.class).hasMessageContaining("truncated");
    }

    @Test
    void refusesASnapshotThatGivesOneAddressToTwoIdentities() throws Exception {
        List<Reservation> reservations = sample(3);
        Reservation first = reservations.get(0);
        reservations.add(new Reservation("ns/intruder-0", first.pool(), first.ip(), Reservation.Kind.MANAGED,
                Reservation.State.ACTIVE, null, null, "x", first.created(), 1));
        // written through the codec directly: the table refuses, so build the file from two tables
        LedgerTable a = new LedgerTable();
        reservations.subList(0, 4).forEach(r -> a.apply(new LedgerChange.Put(r)));
        LedgerTable b = new LedgerTable();
        b.apply(new LedgerChange.Put(reservations.get(4)));
        Path fa = dir.resolve("a.bin");
        Path fb = dir.resolve("b.bin");
        try (FileChannel out = FileChannel.open(fa, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            LedgerCodec.writeSnapshot(a, out, 1, 1);
        }
        try (FileChannel out = FileChannel.open(fb, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            LedgerCodec.writeSnapshot(b, out, 1, 1);
        }
        // splice: a's header with count 5, a's block, b's block, a closing block of 5
        byte[] ab = Files.readAllBytes(fa);
        byte[] bb = Files.readAllBytes(fb);
        int header = LedgerCodec.SNAPSHOT_HEADER;
        int closing = 12 + 8;
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(ab.length + bb.length - header - closing);
        java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(java.util.Arrays.copyOf(ab, header));
        h.putLong(22, 5);
        h.putInt(header - 4, LedgerCodec.crc(h.array(), 0, header - 4));
        out.put(h.array()).put(ab, header, ab.length - header - closing).put(bb, header, bb.length - header - closing);
        java.nio.ByteBuffer end = java.nio.ByteBuffer.allocate(8).putLong(5);
        out.putInt(0).putInt(8).putInt(LedgerCodec.crc(end.array(), 0, 8)).put(end.array());
        Path spliced = dir.resolve("spliced.bin");
        Files.write(spliced, out.array());

        assertThatThrownBy(() -> read(spliced)).isInstanceOf(IOException.class)
                .hasMessageContaining(first.ip() + " is held by ns/app-0 and by ns/intruder-0");
    }
}
