package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.kubeplatform.engine.store.StoreCorruptedException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acknowledgement marker in {@code ledger.lock} is written in the background after each force, so it may lag
 * behind the journal (never lead). What that means for damage detection: a journal cut back below the marker is
 * refused; a cut that keeps every record up to the marker cannot be told from a crash after that record and opens
 * with what is left. These tests pin both sides of that line, and that an open store's marker catches up.
 */
class LedgerMarkerLagTest {

    private static final int RECORDS = 8;
    private static final long LAGGING_MARKER = 5;

    @TempDir
    Path dir;

    private void fill(Path ledger, int n) {
        try (JournaledLedgerStore store = new JournaledLedgerStore(ledger)) {
            for (int i = 1; i <= n; i++) {
                JournaledLedgerStoreTest.put(store, "keep/kapp-" + i, "10.42.200." + i);
            }
        }
    }

    /** The marker as the store writes it: the sequence number, a CRC-32C of it, the journal magic. */
    private static void writeMarker(Path ledger, long seq) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(16).putLong(seq);
        b.putInt(LedgerCodec.crc(b.array(), 0, 8)).putInt(LedgerCodec.JOURNAL_MAGIC).flip();
        try (FileChannel ch = FileChannel.open(ledger.resolve("ledger.lock"), StandardOpenOption.WRITE)) {
            ch.write(b, 0);
        }
    }

    private static long readMarker(Path ledger) throws Exception {
        byte[] bytes = Files.readAllBytes(ledger.resolve("ledger.lock"));
        if (bytes.length < 16) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return b.getInt(12) == LedgerCodec.JOURNAL_MAGIC && b.getInt(8) == LedgerCodec.crc(bytes, 0, 8) ? b.getLong(0)
                : -1;
    }

    /** Where record {@code k} of a segment ends (header 26 bytes, each record 17 + payload + 4). */
    private static int endOfRecord(byte[] segment, int k) {
        int pos = 26;
        for (int i = 0; i < k; i++) {
            pos += 17 + ByteBuffer.wrap(segment).getInt(pos) + 4;
        }
        return pos;
    }

    /** Copies the ledger and cuts its journal back to its first {@code kept} records (the rest zeros, as preallocated). */
    private Path cutCopy(Path ledger, int kept) throws Exception {
        Path copy = dir.resolve("cut-" + kept);
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(ledger)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Path journal = copy.resolve("journal-0.log");
        byte[] bytes = Files.readAllBytes(journal);
        Arrays.fill(bytes, endOfRecord(bytes, kept), bytes.length, (byte) 0);
        Files.write(journal, bytes);
        return copy;
    }

    @Test
    void refusesEveryCutBelowALaggingMarkerAndOpensEveryCutThatKeepsTheMarkedRecords() throws Exception {
        Path ledger = dir.resolve("ledger");
        fill(ledger, RECORDS);
        assertThat(readMarker(ledger)).as("close writes the latest marker").isEqualTo(RECORDS);
        writeMarker(ledger, LAGGING_MARKER); // the process died while the marker was 3 records behind

        for (int kept = 0; kept <= RECORDS; kept++) {
            Path cut = cutCopy(ledger, kept);
            try (JournaledLedgerStore store = new JournaledLedgerStore(cut)) {
                if (kept < LAGGING_MARKER) {
                    assertThatThrownBy(() -> store.<Integer>read(LedgerView::size)).as("cut to %d records", kept)
                            .isInstanceOf(StoreCorruptedException.class)
                            .hasMessageContaining("the journal ends at record " + kept)
                            .hasMessageContaining("records up to " + LAGGING_MARKER + " were acknowledged");
                } else {
                    assertThat(store.<Integer>read(LedgerView::size)).as("cut to %d records", kept).isEqualTo(kept);
                }
            }
        }
    }

    @Test
    void anOpenStoresMarkerCatchesUpWithItsLastDurableRecordWithoutAClose() throws Exception {
        Path ledger = dir.resolve("open");
        JournaledLedgerStore store = new JournaledLedgerStore(ledger);
        try {
            for (int i = 1; i <= 3; i++) {
                JournaledLedgerStoreTest.put(store, "keep/kapp-" + i, "10.42.200." + i);
            }
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> readMarker(ledger) == 3);

            JournaledLedgerStoreTest.put(store, "keep/kapp-4", "10.42.200.4");
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> readMarker(ledger) == 4);
        } finally {
            store.close();
        }
        Path cut = cutCopy(ledger, 3);
        try (JournaledLedgerStore reopened = new JournaledLedgerStore(cut)) {
            assertThatThrownBy(() -> reopened.<Integer>read(LedgerView::size))
                    .isInstanceOf(StoreCorruptedException.class)
                    .hasMessageContaining("records up to 4 were acknowledged");
        }
    }
}
