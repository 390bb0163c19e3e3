package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.jenkins.plugins.kubeplatform.engine.store.FileIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The real file system, except that one armed {@link Gate} holds the next {@code force} or {@code lock} of a chosen
 * file until the test opens it: a slow {@code fdatasync}, or a file lock another process holds. Like a system call, the
 * held thread does not leave the gate when it is interrupted; it then calls the real channel with its interrupt flag
 * set, which (as the JDK does for any interruptible channel) closes the channel and throws.
 */
final class GatedFileIo extends FileIo.Nio {

    enum Op { FORCE, LOCK }

    /** One held call: {@link #entered} once a thread is held, {@link #open} lets it go on. */
    static final class Gate {
        final Op op;
        final Predicate<String> fileName;
        final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);

        Gate(Op op, Predicate<String> fileName) {
            this.op = op;
            this.fileName = fileName;
        }

        void open() {
            release.countDown();
        }
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    private final AtomicReference<Gate> armed = new AtomicReference<>();
    private final AtomicInteger journalWrites = new AtomicInteger();

    /** Holds the next {@code op} on a file whose name matches. */
    Gate arm(Op op, Predicate<String> fileName) {
        Gate gate = new Gate(op, fileName);
        armed.set(gate);
        return gate;
    }

    /** Writes into journal segments so far (by any thread). */
    int journalWrites() {
        return journalWrites.get();
    }

    private void pass(Op op, Path file) throws IOException {
        Gate gate = armed.get();
        if (gate == null || gate.op != op || !gate.fileName.test(file.getFileName().toString())
                || !armed.compareAndSet(gate, null)) {
            return;
        }
        gate.entered.countDown();
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            while (true) {
                try {
                    if (gate.release.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        return;
                    }
                    throw new IOException("the test never opened the gate of " + op + " " + file.getFileName());
                } catch (InterruptedException e) {
                    interrupted = true; // a system call is not ended by an interrupt; the channel is (below)
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public FileChannel open(Path file, OpenOption... options) throws IOException {
        return new Channel(file, super.open(file, options));
    }

    /** Delegates everything to the real channel; {@code force} and {@code lock} pass the gate first. */
    private final class Channel extends io.jenkins.plugins.kubeplatform.engine.store.ForwardingFileChannel {
        private final Path file;
        private final boolean journal;

        Channel(Path file, FileChannel delegate) {
            super(delegate);
            this.file = file;
            this.journal = file.getFileName().toString().startsWith("journal-");
        }

        /** A real channel closed by an interrupt closes this one too, as {@code isOpen} must then say. */
        private <T> T closing(IoCall<T> call) throws IOException {
            try {
                return call.call();
            } catch (java.nio.channels.ClosedChannelException e) {
                close();
                throw e;
            }
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return counted(closing(() -> delegate.write(src)));
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return counted(closing(() -> delegate.write(src, position)));
        }

        private int counted(int written) {
            if (journal) {
                journalWrites.incrementAndGet();
            }
            return written;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            pass(Op.FORCE, file);
            closing(() -> {
                delegate.force(metaData);
                return null;
            });
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            pass(Op.LOCK, file);
            FileLock real = closing(() -> delegate.lock(position, size, shared));
            return new FileLock(this, position, size, shared) {
                @Override
                public boolean isValid() {
                    return real.isValid();
                }

                @Override
                public void release() throws IOException {
                    real.release();
                }
            };
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return closing(() -> delegate.read(dst, position));
        }
    }
}
