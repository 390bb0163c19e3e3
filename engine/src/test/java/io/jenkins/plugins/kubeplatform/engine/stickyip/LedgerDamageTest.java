package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerStore.Decision;
import io.jenkins.plugins.kubeplatform.engine.store.StoreCorruptedException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The damage cases of issue 14: each one was read as an empty or shorter ledger and then written over. */
class LedgerDamageTest {

    @TempDir
    Path dir;

    private Path journal() {
        return dir.resolve("journal-0.log");
    }

    /**
     * Where the records of a segment end: segments are created at a fixed size filled with zeros, so the file's size
     * is not the end; read from the record length fields (header 26 bytes, each record 17 + payload + 4).
     */
    static int writtenEnd(byte[] segment) {
        int pos = 26;
        while (pos + 17 <= segment.length) {
            boolean zeros = true;
            for (int i = pos; i < pos + 17; i++) {
                zeros &= segment[i] == 0;
            }
            if (zeros) {
                break;
            }
            pos += 17 + ByteBuffer.wrap(segment).getInt(pos) + 4;
        }
        return pos;
    }

    private void fill(int n) {
        try (JournaledLedgerStore store = new JournaledLedgerStore(dir)) {
            for (int i = 1; i <= n; i++) {
                JournaledLedgerStoreTest.put(store, "keep/kapp-" + i, "10.42.200." + i);
            }
        }
    }

    /** Opening refuses, names the file, and neither the read nor a following write changes a byte. */
    private void assertRefusedAndUntouched(String... expected) throws Exception {
        byte[] before = Files.readAllBytes(journal());
        JournaledLedgerStore store = new JournaledLedgerStore(dir);
        var refusal = assertThatThrownBy(() -> store.<Integer>read(LedgerView::size))
                .isInstanceOf(StoreCorruptedException.class).hasMessageContaining("journal-0.log")
                .hasMessageContaining("ip-ledger restore");
        for (String e : expected) {
            refusal.hasMessageContaining(e);
        }
        assertThatThrownBy(() -> JournaledLedgerStoreTest.put(store, "other/app-0", "10.42.200.84"))
                .isInstanceOf(StoreCorruptedException.class);
        store.close();
        assertThat(Files.readAllBytes(journal())).isEqualTo(before);
    }

    @Test
    void refusesAJournalOverwrittenWithRandomBytes() throws Exception {
        fill(5);
        byte[] noise = new byte[(int) Files.size(journal())];
        new Random(3).nextBytes(noise);
        Files.write(journal(), noise);

        assertRefusedAndUntouched("header is damaged");
    }

    @Test
    void refusesAnEmptiedJournal() throws Exception {
        fill(5);
        Files.write(journal(), new byte[0]);

        assertRefusedAndUntouched("0 bytes long");
    }

    @Test
    void refusesAJournalTruncatedToHalf() throws Exception {
        fill(8);
        byte[] bytes = Files.readAllBytes(journal());
        Files.write(journal(), java.util.Arrays.copyOf(bytes, writtenEnd(bytes) / 2));

        assertRefusedAndUntouched("records up to 8 were acknowledged");
    }

    @Test
    void refusesAFlippedByteInTheLastCompleteRecordInsteadOfDroppingIt() throws Exception {
        fill(3);
        byte[] bytes = Files.readAllBytes(journal());
        bytes[writtenEnd(bytes) - 10] ^= 0x01;
        Files.write(journal(), bytes);

        assertRefusedAndUntouched("records up to 3 were acknowledged");
    }

    @Test
    void refusesAnIntactRecordThatGivesAnAddressToASecondIdentityAndNamesBoth() throws Exception {
        fill(2);
        byte[] payload = LedgerCodec.encodeChanges(List.of(new LedgerChange.Put(
                JournaledLedgerStoreTest.reservation("other/app-0", "10.42.200.1"))));
        ByteBuffer record = LedgerCodec.record(3, LedgerCodec.CHANGES, payload);
        byte[] bytes = new byte[record.remaining()];
        record.get(bytes);
        try (var channel = java.nio.channels.FileChannel.open(journal(), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), writtenEnd(Files.readAllBytes(journal())));
        }

        assertRefusedAndUntouched("record 3", "10.42.200.1 is held by keep/kapp-1 and cannot also be given to other/app-0");
    }

    @Test
    void verifiesAHealthyLedgerAndNamesTheDamagedFileOfADamagedOne() throws Exception {
        fill(3);
        try (JournaledLedgerStore store = new JournaledLedgerStore(dir)) {
            assertThat(store.verify()).singleElement().satisfies(c -> assertThat(c.replays()).isTrue());
        }
        Files.write(journal(), new byte[0]);

        try (JournaledLedgerStore store = new JournaledLedgerStore(dir)) {
            assertThat(store.verify()).singleElement().satisfies(c -> {
                assertThat(c.replays()).isFalse();
                assertThat(c.detail()).contains("journal-0.log").contains("0 bytes long");
            });
        }
    }

    @Test
    void restoresFromTheNextOlderSnapshotWhenTheNewestIsDamagedWithoutLosingARecord() throws Exception {
        try (JournaledLedgerStore store = new JournaledLedgerStore(dir, 4)) {
            for (int i = 1; i <= 11; i++) {
                JournaledLedgerStoreTest.put(store, "keep/kapp-" + i, "10.42.200." + i);
            }
            store.awaitCompaction();
        }
        // 11 records + seals in segments of 4: snapshots 1 and 2 kept, with the segments after snapshot 1
        Path newest = dir.resolve("snapshot-2.bin");
        assertThat(newest).exists();
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(newest, bytes);
        assertThatThrownBy(() -> new JournaledLedgerStore(dir).<Integer>read(LedgerView::size))
                .isInstanceOf(StoreCorruptedException.class).hasMessageContaining("snapshot-2.bin");

        JournaledLedgerStore.Restored restored;
        try (JournaledLedgerStore store = new JournaledLedgerStore(dir)) {
            restored = store.restore(Optional.empty());
        }

        assertThat(restored.fromSnapshot()).isEqualTo(1);
        assertThat(restored.reservations()).isEqualTo(11);
        assertThat(restored.records()).isEqualTo(restored.acknowledged());
        assertThat(restored.movedAside()).anyMatch(f -> f.startsWith("snapshot-2.bin.damaged-"));
        try (JournaledLedgerStore store = new JournaledLedgerStore(dir)) {
            assertThat(store.<Optional<Reservation>>read(v -> v.get("keep/kapp-11"))).map(Reservation::ip)
                    .contains("10.42.200.11");
            JournaledLedgerStoreTest.put(store, "keep/kapp-12", "10.42.200.12");
        }
        assertThat(new JournaledLedgerStore(dir).<Integer>read(LedgerView::size)).isEqualTo(12);
    }

    @Test
    void restoresTheIntactPartOfADamagedJournalAndSaysWhatWasLost() throws Exception {
        fill(6);
        byte[] bytes = Files.readAllBytes(journal());
        bytes[writtenEnd(bytes) / 2] ^= 0x01;
        Files.write(journal(), bytes);

        JournaledLedgerStore.Restored restored;
        try (JournaledLedgerStore store = new JournaledLedgerStore(dir)) {
            restored = store.restore(Optional.empty());
        }

        assertThat(restored.acknowledged()).isEqualTo(6);
        assertThat(restored.records()).isLessThan(6);
        assertThat(restored.movedAside()).anyMatch(f -> f.startsWith("journal-0.log.damaged-"));
        assertThat(new JournaledLedgerStore(dir).<Integer>read(LedgerView::size)).isEqualTo((int) restored.records());
    }
}
