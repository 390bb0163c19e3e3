package io.jenkins.plugins.kubeplatform.engine.store;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * The real file system ({@link FileIo.Nio}, whose calls it inherits), except that once {@link #arm armed} the first
 * thread to reach one named write boundary on a chosen file tells the test so on stdout ({@code halted at POINT file})
 * and then stops there for good. Used by the crash tests' child processes: the test kills the child when it reads that
 * line, so the {@code kill -9} lands exactly at that boundary (the halted thread cannot move past it, and nothing else
 * writes).
 */
public final class HaltingFileIo extends FileIo.Nio {

    /** Write boundaries, in the order a store passes them when it replaces or appends to a file. */
    public enum Point {
        /** Half of a file's bytes written (a torn file), the rest not. */
        HALF_WRITTEN,
        /** Every byte written, the file's {@code force} not yet called. */
        WRITTEN_NOT_FORCED,
        /** The file's {@code force} returned (the caller has not gone on yet). */
        FORCED,
        /** A temporary file written, forced and closed; not yet renamed to its real name. */
        BEFORE_RENAME,
        /** Renamed to its real name; the directory not yet forced. */
        AFTER_RENAME,
        /** The directory forced after the rename. */
        AFTER_DIRECTORY_FSYNC
    }

    private final Point point;
    private final Predicate<String> fileName;
    private final PrintStream out;
    private final AtomicBoolean armed = new AtomicBoolean();
    private volatile String lastRenamed;

    /**
     * @param point    where to stop
     * @param fileName which file's boundary counts (its name, without directory): the file written, forced or
     *                 renamed; for {@link Point#AFTER_DIRECTORY_FSYNC}, the last file renamed before the fsync
     */
    public HaltingFileIo(Point point, Predicate<String> fileName, PrintStream out) {
        this.point = point;
        this.fileName = fileName;
        this.out = out;
    }

    /** From now on, the next thread at the boundary stops there. */
    public void arm() {
        armed.set(true);
    }

    private void at(Point reached, Path file) {
        if (reached == point && file != null && fileName.test(file.getFileName().toString())
                && armed.compareAndSet(true, false)) {
            synchronized (out) {
                out.println("halted at " + reached + " " + file.getFileName());
                out.flush();
            }
            while (true) { // until the test's kill -9; an interrupt does not move this thread past the boundary
                LockSupport.park(this);
            }
        }
    }

    @Override
    public FileChannel open(Path file, OpenOption... options) throws IOException {
        FileChannel channel = super.open(file, options);
        return fileName.test(file.getFileName().toString()) ? new Channel(file, channel) : channel;
    }

    @Override
    public void move(Path from, Path to, boolean replace) throws IOException {
        at(Point.BEFORE_RENAME, from);
        at(Point.BEFORE_RENAME, to);
        super.move(from, to, replace);
        lastRenamed = to.getFileName().toString();
        at(Point.AFTER_RENAME, to);
        at(Point.AFTER_RENAME, from);
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        super.fsyncDirectory(dir);
        String renamed = lastRenamed;
        if (renamed != null) {
            at(Point.AFTER_DIRECTORY_FSYNC, dir.resolve(renamed));
        }
    }

    /** A channel of a chosen file: stops half-way through a write, before a force or after it. */
    private final class Channel extends ForwardingFileChannel {
        private final Path file;

        Channel(Path file, FileChannel delegate) {
            super(delegate);
            this.file = file;
        }

        private int halving(ByteBuffer src, java.util.function.ToIntFunction<ByteBuffer> write) {
            if (point == Point.HALF_WRITTEN && armed.get() && src.remaining() > 1) {
                ByteBuffer half = src.duplicate();
                half.limit(src.position() + src.remaining() / 2);
                int n = write.applyAsInt(half);
                src.position(src.position() + n);
                at(Point.HALF_WRITTEN, file);
                return n;
            }
            return write.applyAsInt(src);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return unchecked(() -> halving(src, b -> io(() -> delegate.write(b))));
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return unchecked(() -> halving(src, b -> io(() -> delegate.write(b, position))));
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += write(srcs[i]);
            }
            return total;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            at(Point.WRITTEN_NOT_FORCED, file);
            delegate.force(metaData);
            at(Point.FORCED, file);
        }
    }

    private interface IoCall {
        int call() throws IOException;
    }

    private static int io(IoCall call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int unchecked(IoCall call) throws IOException {
        try {
            return call.call();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
