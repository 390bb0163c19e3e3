package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A closed store keeps its prepared (zero-filled, forced) next segment as {@code .journal-prepared}; the next store
 * adopts it instead of writing a new megabyte of zeros, and only if it is exactly what a preparation makes.
 */
class KeptSegmentTest {

    private static final int PER_SEGMENT = 8;

    @TempDir
    Path dir;

    private int next = 1;

    private void put(JournaledLedgerStore store, int count) {
        for (int i = 0; i < count; i++, next++) {
            JournaledLedgerStoreTest.put(store, "keep/app-" + next, "10.42." + (next / 200) + "." + (next % 200 + 1));
        }
    }

    private Path kept() {
        return dir.resolve(JournaledLedgerStore.KEPT_SEGMENT);
    }

    private static Object inode(Path file) throws Exception {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    private Path newestSegment() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("journal-\\d+\\.log"))
                    .max((a, b) -> Long.compare(number(a), number(b))).orElseThrow();
        }
    }

    private static long number(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring("journal-".length(), name.length() - ".log".length()));
    }

    /** A first store that rotated (so it prepared the next segment) and was closed. */
    private void closedStoreWithAKeptSegment() throws Exception {
        try (JournaledLedgerStore store = new JournaledLedgerStore(dir, PER_SEGMENT)) {
            put(store, PER_SEGMENT + 2);
            store.awaitCompaction();
        }
        assertThat(kept()).exists();
    }

    /** The size a fresh store reads; waits for the background work the open scheduled (folding sealed segments). */
    private int reopenedSize() throws Exception {
        try (JournaledLedgerStore store = new JournaledLedgerStore(dir, PER_SEGMENT)) {
            int size = store.read(LedgerView::size);
            store.awaitCompaction();
            return size;
        }
    }

    @Test
    void theNextStoreTurnsTheKeptSegmentIntoItsNextSegmentInsteadOfWritingANewOne() throws Exception {
        closedStoreWithAKeptSegment();
        Object keptInode = inode(kept());
        byte[] zeros = new byte[(int) Files.size(kept())];
        assertThat(Files.readAllBytes(kept())).isEqualTo(zeros);

        // held open, the kept file's inode cannot be freed and reused by a newly created file
        try (FileChannel held = FileChannel.open(kept(), StandardOpenOption.READ);
                JournaledLedgerStore store = new JournaledLedgerStore(dir, PER_SEGMENT)) {
            put(store, 1); // an eighth of a segment: the store prepares its next segment
            store.awaitCompaction();
            assertThat(kept()).doesNotExist();
            put(store, PER_SEGMENT); // through a rotation
            assertThat(inode(newestSegment())).isEqualTo(keptInode);
            store.awaitCompaction();
        }
        assertThat(reopenedSize()).isEqualTo(next - 1);
    }

    @Test
    void removesAKeptSegmentWithAByteThatIsNotZeroAndPreparesANewOne() throws Exception {
        closedStoreWithAKeptSegment();
        long size = Files.size(kept());
        try (FileChannel ch = FileChannel.open(kept(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {7}), size - 1); // past where this test's records reach
        }

        try (JournaledLedgerStore store = new JournaledLedgerStore(dir, PER_SEGMENT)) {
            put(store, 1);
            store.awaitCompaction();
            assertThat(kept()).doesNotExist();
            put(store, PER_SEGMENT);
            byte[] segment = Files.readAllBytes(newestSegment());
            assertThat(segment[segment.length - 1]).isZero();
            store.awaitCompaction();
        }
        assertThat(reopenedSize()).isEqualTo(next - 1);
    }

    @Test
    void removesAKeptSegmentOfAnotherSizeAndPreparesANewOne() throws Exception {
        closedStoreWithAKeptSegment();
        long size = Files.size(kept());
        try (FileChannel ch = FileChannel.open(kept(), StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        }

        try (JournaledLedgerStore store = new JournaledLedgerStore(dir, PER_SEGMENT)) {
            put(store, 1);
            store.awaitCompaction();
            assertThat(kept()).doesNotExist();
            put(store, PER_SEGMENT);
            assertThat(Files.size(newestSegment())).isEqualTo(size);
            store.awaitCompaction();
        }
        assertThat(reopenedSize()).isEqualTo(next - 1);
    }
}
