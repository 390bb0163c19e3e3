package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots built byte by byte from the documented layout (not by the codec's writer), each with one field damaged
 * while every checksum still matches: the reader must refuse each with a message naming what is wrong.
 *
 * <p>Layout: header = magic "KPLS", version (short), number, last sequence, count (longs), CRC32C of the previous
 * 30 bytes; then blocks of (records, length, CRC32C of the payload) + payload; the payload is a string table (count,
 * then each string as a 16-bit length and UTF-8, 0xFFFF for null) and the records (identity as a string, pool id,
 * address hi/lo, flags, node id, owner id, created, idle, revision and, with flag 0x40 from version 2, the released
 * pin's time, node id and reason id). A block of 0 records ends the snapshot and holds the total count.
 */
class LedgerSnapshotFieldDamageTest {

    private static final int MAGIC = 0x4B504C53;
    private static final long NO_TIME = Long.MIN_VALUE;
    private static final long V4_PREFIX = 0x0000_FFFF_0000_0000L;
    private static final long CREATED = 1_700_000_000_123_456_789L;

    @TempDir
    Path dir;

    private static int crc32c(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length);
        return (int) crc.getValue();
    }

    private static byte[] header(int magic, int version, long number, long lastSeq, long count, int crcDelta) {
        ByteBuffer b = ByteBuffer.allocate(34).putInt(magic).putShort((short) version).putLong(number)
                .putLong(lastSeq).putLong(count);
        byte[] first = java.util.Arrays.copyOf(b.array(), 30);
        b.putInt(crc32c(first) + crcDelta);
        return b.array();
    }

    private static byte[] header(int version, long count) {
        return header(MAGIC, version, 5, 77, count, 0);
    }

    private static byte[] block(int records, byte[] payload) {
        return ByteBuffer.allocate(12 + payload.length).putInt(records).putInt(payload.length).putInt(crc32c(payload))
                .put(payload).array();
    }

    private static byte[] end(long count) {
        return block(0, ByteBuffer.allocate(8).putLong(count).array());
    }

    /** A payload: string table, then raw record bytes. */
    private static final class Payload {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Payload(String... strings) {
            this(strings.length, strings);
        }

        Payload(int declared, String... strings) {
            putInt(declared);
            for (String s : strings) {
                putString(s);
            }
        }

        Payload putInt(int v) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
            return this;
        }

        Payload putLong(long v) {
            out.writeBytes(ByteBuffer.allocate(8).putLong(v).array());
            return this;
        }

        Payload putString(String s) {
            if (s == null) {
                out.writeBytes(new byte[]{(byte) 0xFF, (byte) 0xFF});
            } else {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                out.writeBytes(ByteBuffer.allocate(2).putShort((short) b.length).array());
                out.writeBytes(b);
            }
            return this;
        }

        /** One record with the given string ids; {@code pin} is {at, nodeId, reasonId} or null. */
        Payload record(String identity, int pool, int ipv4, int flags, int node, int owner, long[] pin) {
            putString(identity).putInt(pool).putLong(0).putLong(V4_PREFIX | ipv4);
            out.write(flags);
            putInt(node).putInt(owner).putLong(CREATED).putLong(NO_TIME).putLong(9);
            if (pin != null) {
                putLong(pin[0]).putInt((int) pin[1]).putInt((int) pin[2]);
            }
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private Path file(byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        Path f = Files.createTempFile(dir, "snapshot-", ".bin");
        Files.write(f, out.toByteArray());
        return f;
    }

    private static LedgerTable read(Path file) throws IOException {
        LedgerTable table = new LedgerTable();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            LedgerCodec.readSnapshot(in, table);
        }
        return table;
    }

    private static LedgerCodec.SnapshotInfo validate(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return LedgerCodec.readSnapshot(in, (LedgerTable) null);
        }
    }

    private static LedgerCodec.SnapshotInfo info(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return LedgerCodec.readSnapshotInfo(in);
        }
    }

    private static final int IP = (10 << 24) | (7 << 16) | 1; // 10.7.0.1

    private byte[] oneRecord(int flags, int node, int owner, long[] pin) {
        return block(1, new Payload("blue", "node-a", "job#1", "node node-a was deleted")
                .record("ns/app", 0, IP, flags, node, owner, pin).bytes());
    }

    private void assertRefused(Path file, String message) {
        assertThatThrownBy(() -> read(file)).isInstanceOf(IOException.class).hasMessage(message);
        assertThatThrownBy(() -> validate(file)).isInstanceOf(IOException.class).hasMessage(message);
    }

    @Test
    void readsEveryFieldWhenASnapshotIsBuiltByHandFromTheLayout() throws Exception {
        Instant pinAt = Instant.parse("2026-12-01T10:00:00Z");
        long pinNanos = pinAt.getEpochSecond() * 1_000_000_000L;
        Path f = file(header(2, 2), block(2, new Payload("blue", "node-a", "job#1", "node node-a was deleted")
                        .record("ns/app", 0, IP, 0x40 | 0x01, 1, 2, new long[]{pinNanos, 1, 3})
                        .record("ns/idle", 0, IP + 1, 0x02, -1, -1, null).bytes()), end(2));

        LedgerTable table = read(f);

        Instant created = Instant.ofEpochSecond(1_700_000_000L, 123_456_789);
        assertThat(table.get("ns/app")).contains(new Reservation("ns/app", "blue", "10.7.0.1",
                Reservation.Kind.ADOPTED, Reservation.State.ACTIVE, "node-a", null, "job#1", created, 9,
                new Reservation.PinRelease(pinAt, "node-a", "node node-a was deleted")));
        assertThat(table.get("ns/idle")).contains(new Reservation("ns/idle", "blue", "10.7.0.2",
                Reservation.Kind.MANAGED, Reservation.State.IDLE, null, null, null, created, 9));
        assertThat(validate(f)).isEqualTo(new LedgerCodec.SnapshotInfo(5, 77, 2, 2));
    }

    @Test
    void ignoresThePinFlagWhenTheSnapshotIsOfVersionOne() throws Exception {
        // version 1 had no released pins: bit 0x40 is not followed by pin fields there
        Path f = file(header(1, 1), oneRecord(0x40, 1, 2, null), end(1));

        LedgerTable table = read(f);

        assertThat(table.get("ns/app")).map(Reservation::pinRelease).isEmpty();
        assertThat(table.get("ns/app")).map(Reservation::node).contains("node-a");
        assertThat(info(f).version()).isEqualTo(1);
    }

    @Test
    void refusesAHeaderWhenItsMagicChecksumVersionOrCountIsWrong() throws Exception {
        assertRefused(file(header(0x4B504C4A, 2, 5, 77, 0, 0), end(0)),
                "it does not start with the ledger snapshot header (empty or not a snapshot)");
        assertRefused(file(header(MAGIC, 2, 5, 77, 0, 1), end(0)), "its header checksum does not match");
        assertRefused(file(header(0, 0), end(0)), "it has format version 0; this version reads 1 to 2");
        assertRefused(file(header(3, 0), end(0)), "it has format version 3; this version reads 1 to 2");
        assertRefused(file(header(2, -1), end(0)), "its header gives an impossible count -1");
        assertRefused(file(header(2, 1L << 31), end(0)), "its header gives an impossible count 2147483648");
        assertRefused(file(new byte[20]), "it ends inside the header (truncated)");
        // the largest possible count passes the header check
        assertThat(info(file(header(2, Integer.MAX_VALUE), end(0))).count()).isEqualTo(Integer.MAX_VALUE);
        assertThat(validate(file(header(1, 0), end(0)))).isEqualTo(new LedgerCodec.SnapshotInfo(5, 77, 0, 1));
    }

    @Test
    void refusesABlockWhenItsSizesOrStringTableAreImpossible() throws Exception {
        byte[] negativeRecords = ByteBuffer.allocate(12).putInt(-1).putInt(0).putInt(0).array();
        assertRefused(file(header(2, 0), negativeRecords), "block at byte 34 has an impossible size");
        byte[] negativeLength = ByteBuffer.allocate(12).putInt(1).putInt(-1).putInt(0).array();
        assertRefused(file(header(2, 0), negativeLength), "block at byte 34 has an impossible size");
        byte[] tooLong = ByteBuffer.allocate(12).putInt(1).putInt((64 << 20) + 1).putInt(0).array();
        assertRefused(file(header(2, 0), tooLong), "block at byte 34 has an impossible size");
        byte[] longest = ByteBuffer.allocate(12).putInt(1).putInt(64 << 20).putInt(0).array();
        assertRefused(file(header(2, 0), longest), "it ends inside block at byte 34 (truncated)");
        assertRefused(file(header(2, 1), block(1, new Payload(-1).bytes()), end(1)),
                "block at byte 34 has an impossible string table");
        // the string table count may not exceed the block's length in bytes (4 here)
        assertRefused(file(header(2, 1), block(1, new Payload(5).bytes()), end(1)),
                "block at byte 34 has an impossible string table");
        assertRefused(file(header(2, 1), block(1, new Payload(4).bytes()), end(1)),
                "block at byte 34 ends inside a reservation");
        assertRefused(file(header(2, 1), oneRecord(0, 1, 2, null)),
                "it ends inside block at byte " + (34 + oneRecord(0, 1, 2, null).length) + " (truncated)");
    }

    @Test
    void refusesTheEndWhenItsCountDisagreesOrBytesFollowIt() throws Exception {
        assertRefused(file(header(2, 2), oneRecord(0, 1, 2, null), end(2)),
                "it holds 1 reservations but its header says 2");
        assertRefused(file(header(2, 1), oneRecord(0, 1, 2, null), end(2)),
                "it holds 1 reservations but its header says 1");
        assertRefused(file(header(2, 1), oneRecord(0, 1, 2, null), end(1), new byte[3]), "3 bytes follow its end");
        byte[] block = oneRecord(0, 1, 2, null);
        block[block.length - 1] ^= 1;
        assertRefused(file(header(2, 1), block, end(1)),
                "block at byte 34 (reservations 1..1) fails its checksum");
    }

    @Test
    void refusesARecordWhenItNamesAStringItsBlockDoesNotHave() throws Exception {
        String noString = "reservation 1 has no identity or pool, or names a string its block does not have";
        assertRefused(file(header(2, 1), block(1, new Payload("blue").record(null, 0, IP, 0, -1, -1, null).bytes()),
                end(1)), noString);
        assertRefused(file(header(2, 1), block(1, new Payload("blue").record("a", -1, IP, 0, -1, -1, null).bytes()),
                end(1)), noString);
        assertRefused(file(header(2, 1), block(1, new Payload("blue").record("a", 1, IP, 0, -1, -1, null).bytes()),
                end(1)), noString);
        assertRefused(file(header(2, 1), oneRecord(0, 4, 2, null), end(1)), noString);
        assertRefused(file(header(2, 1), oneRecord(0, 1, 4, null), end(1)), noString);
        assertRefused(file(header(2, 1), oneRecord(0, -2, 2, null), end(1)), noString);
        assertRefused(file(header(2, 1), oneRecord(0, 1, -2, null), end(1)), noString);
        // the last string of the table is a valid reference
        assertThat(read(file(header(2, 1), oneRecord(0, 3, 3, null), end(1))).get("ns/app"))
                .map(Reservation::node).contains("node node-a was deleted");
    }

    @Test
    void refusesAReleasedPinWhenItIsPartialOrNamesAMissingString() throws Exception {
        long at = 1_000_000_000L;
        String missing = "reservation 1 names a string its block does not have";
        assertRefused(file(header(2, 1), oneRecord(0x40, 1, 2, new long[]{at, 4, 3}), end(1)), missing);
        assertRefused(file(header(2, 1), oneRecord(0x40, 1, 2, new long[]{at, 1, 4}), end(1)), missing);
        assertRefused(file(header(2, 1), oneRecord(0x40, 1, 2, new long[]{at, -2, 3}), end(1)), missing);
        assertRefused(file(header(2, 1), oneRecord(0x40, 1, 2, new long[]{at, 1, -2}), end(1)), missing);
        String partial = "a released pin without its time, node or reason";
        assertRefused(file(header(2, 1), oneRecord(0x40, 1, 2, new long[]{NO_TIME, 1, 3}), end(1)), partial);
        assertRefused(file(header(2, 1), oneRecord(0x40, 1, 2, new long[]{at, -1, 3}), end(1)), partial);
        assertRefused(file(header(2, 1), oneRecord(0x40, 1, 2, new long[]{at, 1, -1}), end(1)), partial);
        assertRefused(file(header(2, 1), oneRecord(0x40, 1, 2, new long[]{NO_TIME, -1, -1}), end(1)),
                "reservation 1 is marked with a released pin but has none");
        // the last string of the table is a valid pin reference
        assertThat(read(file(header(2, 1), oneRecord(0x40, 1, 2, new long[]{at, 3, 3}), end(1))).get("ns/app"))
                .map(Reservation::pinRelease).map(Reservation.PinRelease::node).contains("node node-a was deleted");
    }

    @Test
    void namesTheRecordNumberAcrossBlocksWhenALaterBlockIsDamaged() throws Exception {
        byte[] first = oneRecord(0, 1, 2, null);
        byte[] second = block(1, new Payload("blue").record("ns/other", 5, IP + 1, 0, -1, -1, null).bytes());
        Path f = file(header(2, 2), first, second, end(2));

        assertRefused(f, "reservation 2 has no identity or pool, or names a string its block does not have");
        byte[] damaged = second.clone();
        damaged[damaged.length - 1] ^= 1;
        assertRefused(file(header(2, 2), first, damaged, end(2)),
                "block at byte " + (34 + first.length) + " (reservations 2..2) fails its checksum");
    }

    @Test
    void refusesTwoRecordsWhenTheyHoldOneAddress() throws Exception {
        Path f = file(header(2, 2), block(2, new Payload("blue")
                .record("ns/a", 0, IP, 0, -1, -1, null).record("ns/b", 0, IP, 0, -1, -1, null).bytes()), end(2));

        assertThatThrownBy(() -> read(f)).isInstanceOf(IOException.class)
                .hasMessage("reservation record breaks an invariant: ledger invariant: 10.7.0.1 is held by ns/a "
                        + "and by ns/b");
        // validation alone does not build the table, so it reads the structure only
        assertThat(validate(f).count()).isEqualTo(2);
        List<String> identities = new ArrayList<>();
        try (FileChannel in = FileChannel.open(f, StandardOpenOption.READ)) {
            LedgerCodec.readSnapshot(in, LedgerCodec.streaming((identity, pool, hi, lo, flags, node, owner, created,
                    idle, revision, pin) -> identities.add(new String(identity, StandardCharsets.UTF_8)),
                    id -> id.equals(LedgerTable.familyKey("ns/a", true))));
        }
        assertThat(identities).containsExactly("ns/b");
    }

    @Test
    void refusesTwoRecordsWhenTheyNameOneIdentity() throws Exception {
        Path f = file(header(2, 2), block(2, new Payload("blue")
                .record("ns/a", 0, IP, 0, -1, -1, null).record("ns/a", 0, IP + 1, 0, -1, -1, null).bytes()), end(2));

        assertThatThrownBy(() -> read(f)).isInstanceOf(IOException.class)
                .hasMessage("reservation record breaks an invariant: identity ns/a appears twice with an IPv4 address");
    }

    @Test
    void resolvesTheFirstStringOfABlockWhenStreamingARecordThatNamesIt() throws Exception {
        // node and owner both name string 0 (the pool's own name): a valid reference, not "no node"
        Path f = file(header(2, 1), block(1, new Payload("blue").record("ns/a", 0, IP, 0, 0, 0, null).bytes()),
                end(1));
        List<String> seen = new ArrayList<>();

        try (FileChannel in = FileChannel.open(f, StandardOpenOption.READ)) {
            LedgerCodec.readSnapshot(in, LedgerCodec.streaming((identity, pool, hi, lo, flags, node, owner, created,
                    idle, revision, pin) -> seen.add(pool + "/" + node + "/" + owner), id -> false));
        }

        assertThat(seen).containsExactly("blue/blue/blue");
        assertThat(read(f).get("ns/a")).map(r -> r.node() + "/" + r.owner()).contains("blue/blue");
    }
}
