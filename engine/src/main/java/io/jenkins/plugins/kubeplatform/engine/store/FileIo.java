package io.jenkins.plugins.kubeplatform.engine.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/**
 * The one seam through which the stores ({@link AtomicFileStore}, the IP ledger's journal) touch the file system:
 * open (then write, read and {@code force} through the returned channel), atomic rename, directory fsync, listing
 * and deletion. {@link #nio()} is the real file system; tests substitute a file system that models the page cache
 * and loses whatever was not made durable at a simulated power cut.
 */
public interface FileIo {

    /** The real file system through java.nio. */
    static FileIo nio() {
        return Nio.INSTANCE;
    }

    /** Opens a file; writes, reads, {@code force} and locks go through the channel. */
    FileChannel open(Path file, OpenOption... options) throws IOException;

    /** Renames atomically, replacing {@code to} if {@code replace}. */
    void move(Path from, Path to, boolean replace) throws IOException;

    /**
     * Gives the file {@code existing} a second name {@code link} (a hard link: no bytes copied), durable with the
     * next directory fsync.
     *
     * @throws UnsupportedOperationException when the file system has no hard links
     */
    void link(Path link, Path existing) throws IOException;

    /** Makes the directory's entries (creations, renames, deletions) durable. */
    void fsyncDirectory(Path dir) throws IOException;

    byte[] readAllBytes(Path file) throws IOException;

    /** The entries of a directory (empty when it does not exist). */
    List<Path> list(Path dir) throws IOException;

    boolean exists(Path path);

    boolean isDirectory(Path path);

    void createDirectories(Path dir) throws IOException;

    boolean deleteIfExists(Path path) throws IOException;

    /** Writes the whole buffer, however many calls the channel needs. */
    static void writeFully(FileChannel channel, java.nio.ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /**
     * java.nio on the default file system. Not final: a test file system that only observes the real one (stops a
     * writer at a chosen boundary) extends it and overrides the calls it watches.
     */
    class Nio implements FileIo {
        static final Nio INSTANCE = new Nio();

        protected Nio() {
        }

        @Override
        public FileChannel open(Path file, OpenOption... options) throws IOException {
            return FileChannel.open(file, options);
        }

        @Override
        public void move(Path from, Path to, boolean replace) throws IOException {
            try {
                if (replace) {
                    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + to.getParent() + " cannot rename atomically", e);
            }
        }

        @Override
        public void link(Path link, Path existing) throws IOException {
            Files.createLink(link, existing);
        }

        @Override
        public void fsyncDirectory(Path dir) throws IOException {
            // some platforms (Windows) refuse to open directories; there the rename is as durable as it gets
            try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                channel.force(true);
            } catch (IOException | UnsupportedOperationException e) {
                if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win")) {
                    throw e instanceof IOException io ? io : new IOException(e);
                }
            }
        }

        @Override
        public byte[] readAllBytes(Path file) throws IOException {
            return Files.readAllBytes(file);
        }

        @Override
        public List<Path> list(Path dir) throws IOException {
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (var files = Files.list(dir)) {
                return files.sorted().toList();
            }
        }

        @Override
        public boolean exists(Path path) {
            return Files.exists(path);
        }

        @Override
        public boolean isDirectory(Path path) {
            return Files.isDirectory(path);
        }

        @Override
        public void createDirectories(Path dir) throws IOException {
            Files.createDirectories(dir);
        }

        @Override
        public boolean deleteIfExists(Path path) throws IOException {
            return Files.deleteIfExists(path);
        }
    }
}
