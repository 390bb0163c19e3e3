package io.jenkins.plugins.kubeplatform.engine.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * An in-memory file system behind {@link FileIo} that models the page cache, in the spirit of Jepsen's LazyFS:
 * every file has the bytes the running process sees and the bytes on disk; a write only reaches the page cache and
 * becomes durable when its file is {@code force}d; a creation, rename, hard link or deletion only reaches the directory's cached
 * entries and becomes durable when the directory is fsynced. {@link #cutPowerAt} numbers every mutating call (write,
 * truncate, force, create, rename, delete, directory fsync) and makes call {@code n} fail as a power cut, after which
 * nothing works; {@link #afterPowerCut} is what a reboot finds: only durable entries, and per file its durable bytes,
 * optionally followed by a prefix of the writes that were never forced (torn).
 *
 * <p>Fault seams: {@link #skipForce} (a force that does nothing, as if a {@code force()} call were deleted),
 * {@link #skipDirectorySync}, {@link #diskFullFromWrite} (ENOSPC) and {@link #readOnly} (EROFS). Directories exist
 * durably once created (the stores create them once, up front). Locks are per process only.
 */
public final class PageCacheFileSystem implements FileIo {

    /** What survives a power cut besides the forced bytes and fsynced entries. */
    public enum Loss {
        /** Everything not forced or fsynced is lost. */
        ALL_UNSYNCED,
        /** Every cached directory entry survived (metadata journaled), file bytes only as far as forced. */
        KEEP_ENTRIES,
        /** Durable entries; each file keeps a random prefix of its unforced writes, the last one possibly torn. */
        TORN
    }

    private static final class Inode {
        byte[] cached = new byte[0];
        byte[] durable = new byte[0];
        /** Cached states after each unforced write, oldest first: what a torn power cut can leave. */
        final List<byte[]> history = new ArrayList<>();
    }

    private final Object lock = new Object();
    private final TreeMap<Path, Inode> entries = new TreeMap<>();
    private final TreeMap<Path, Inode> durableEntries = new TreeMap<>();
    private final Set<Path> directories = new HashSet<>();
    private long ops;
    private long cutAt = Long.MAX_VALUE;
    private boolean dead;
    private long diskFullFrom = Long.MAX_VALUE;
    private long writes;
    private Predicate<Path> skipForce = p -> false;
    private boolean skipDirectorySync;
    private Path readOnly;

    /** Makes the {@code n}th mutating call (1-based) a power cut. */
    public PageCacheFileSystem cutPowerAt(long n) {
        synchronized (lock) {
            cutAt = n;
        }
        return this;
    }

    /** Forces of files matching {@code files} do nothing (as if that {@code force()} call were removed). */
    public PageCacheFileSystem skipForce(Predicate<Path> files) {
        synchronized (lock) {
            skipForce = files;
        }
        return this;
    }

    /** Directory fsyncs do nothing. */
    public PageCacheFileSystem skipDirectorySync() {
        synchronized (lock) {
            skipDirectorySync = true;
        }
        return this;
    }

    /** From the {@code n}th write call (1-based) on, every write fails with "No space left on device". */
    public PageCacheFileSystem diskFullFromWrite(long n) {
        synchronized (lock) {
            diskFullFrom = n;
            writes = 0;
        }
        return this;
    }

    /** Every change under {@code dir} fails with "Read-only file system"; reads go on. */
    public PageCacheFileSystem readOnly(Path dir) {
        synchronized (lock) {
            readOnly = dir.toAbsolutePath();
        }
        return this;
    }

    /** The number of mutating calls so far (a run without a cut tells how many boundaries there are). */
    public long operations() {
        synchronized (lock) {
            return ops;
        }
    }

    public boolean poweredOff() {
        synchronized (lock) {
            return dead;
        }
    }

    /** The file system a reboot after the power cut (or now) finds; {@code seed} picks the torn prefixes. */
    public PageCacheFileSystem afterPowerCut(Loss loss, long seed) {
        synchronized (lock) {
            Random random = new Random(seed);
            PageCacheFileSystem rebooted = new PageCacheFileSystem();
            rebooted.directories.addAll(directories);
            Map<Inode, Inode> survivors = new IdentityHashMap<>();
            Map<Path, Inode> names = loss == Loss.KEEP_ENTRIES ? entries : durableEntries;
            names.forEach((path, inode) -> {
                Inode after = survivors.computeIfAbsent(inode, old -> {
                    Inode fresh = new Inode();
                    byte[] bytes = old.durable;
                    if (loss == Loss.TORN && !old.history.isEmpty()) {
                        int kept = random.nextInt(old.history.size() + 1);
                        if (kept > 0) {
                            bytes = old.history.get(kept - 1);
                        }
                        if (kept < old.history.size()) {
                            bytes = tear(bytes, old.history.get(kept), random);
                        }
                    }
                    fresh.cached = bytes.clone();
                    fresh.durable = bytes.clone();
                    return fresh;
                });
                rebooted.entries.put(path, after);
                rebooted.durableEntries.put(path, after);
            });
            return rebooted;
        }
    }

    /** {@code from} with a prefix of the bytes in which {@code to} differs from it (a write cut short). */
    private static byte[] tear(byte[] from, byte[] to, Random random) {
        int first = 0;
        while (first < Math.min(from.length, to.length) && from[first] == to[first]) {
            first++;
        }
        int end = Math.max(from.length, to.length);
        int cut = first + random.nextInt(end - first + 1);
        byte[] torn = Arrays.copyOf(from, Math.max(from.length, Math.min(cut, to.length)));
        System.arraycopy(to, first, torn, first, Math.max(0, Math.min(cut, to.length) - first));
        return torn;
    }

    /** The bytes the running process sees (for assertions). */
    public byte[] contents(Path file) throws IOException {
        return readAllBytes(file);
    }

    /** Overwrites a file as an outside actor would (no boundary counted): for damage tests. */
    public void replace(Path file, byte[] bytes) {
        synchronized (lock) {
            Inode inode = entries.computeIfAbsent(file.toAbsolutePath(), p -> new Inode());
            inode.cached = bytes.clone();
            inode.durable = bytes.clone();
            durableEntries.put(file.toAbsolutePath(), inode);
        }
    }

    // ---- the seam ----

    /** Counts a mutating call; fails it when it is the cut (or everything after). */
    private void step(Path path, String what) throws IOException {
        if (dead) {
            throw new IOException("simulated power cut: the machine is off (" + what + " " + path + ")");
        }
        ops++;
        if (ops >= cutAt) {
            dead = true;
            throw new IOException("simulated power cut at call " + ops + " (" + what + " " + path + ")");
        }
        if (readOnly != null && path.toAbsolutePath().startsWith(readOnly)) {
            throw new FileSystemException(path.toString(), null, "Read-only file system");
        }
    }

    @Override
    public FileChannel open(Path file, OpenOption... options) throws IOException {
        Path path = file.toAbsolutePath();
        Set<OpenOption> set = new HashSet<>(Arrays.asList(options));
        boolean write = set.contains(StandardOpenOption.WRITE) || set.contains(StandardOpenOption.APPEND);
        synchronized (lock) {
            if (dead) {
                throw new IOException("simulated power cut: the machine is off (open " + path + ")");
            }
            if (!directories.contains(path.getParent())) {
                throw new NoSuchFileException(path.toString(), null, "no such directory");
            }
            Inode inode = entries.get(path);
            if (inode != null && set.contains(StandardOpenOption.CREATE_NEW)) {
                throw new FileAlreadyExistsException(path.toString());
            }
            if (inode == null) {
                if (!set.contains(StandardOpenOption.CREATE) && !set.contains(StandardOpenOption.CREATE_NEW)) {
                    throw new NoSuchFileException(path.toString());
                }
                step(path, "create");
                inode = new Inode();
                entries.put(path, inode);
            } else if (write && readOnly != null && path.startsWith(readOnly)) {
                throw new FileSystemException(path.toString(), null, "Read-only file system");
            }
            if (set.contains(StandardOpenOption.TRUNCATE_EXISTING) && write && inode.cached.length > 0) {
                step(path, "truncate");
                change(inode, new byte[0]);
            }
            return new Channel(path, inode, set.contains(StandardOpenOption.APPEND));
        }
    }

    private static void change(Inode inode, byte[] next) {
        inode.cached = next;
        inode.history.add(next);
    }

    @Override
    public void move(Path from, Path to, boolean replace) throws IOException {
        synchronized (lock) {
            Path source = from.toAbsolutePath();
            Path target = to.toAbsolutePath();
            step(target, "rename");
            Inode inode = entries.get(source);
            if (inode == null) {
                throw new NoSuchFileException(source.toString());
            }
            if (!replace && entries.containsKey(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            entries.remove(source);
            entries.put(target, inode);
        }
    }

    @Override
    public void link(Path link, Path existing) throws IOException {
        synchronized (lock) {
            Path name = link.toAbsolutePath();
            step(name, "link");
            Inode inode = entries.get(existing.toAbsolutePath());
            if (inode == null) {
                throw new NoSuchFileException(existing.toString());
            }
            if (entries.containsKey(name)) {
                throw new FileAlreadyExistsException(name.toString());
            }
            entries.put(name, inode);
        }
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        synchronized (lock) {
            Path d = dir.toAbsolutePath();
            step(d, "fsync directory");
            if (skipDirectorySync) {
                return;
            }
            durableEntries.keySet().removeIf(p -> d.equals(p.getParent()));
            entries.forEach((p, inode) -> {
                if (d.equals(p.getParent())) {
                    durableEntries.put(p, inode);
                }
            });
        }
    }

    @Override
    public byte[] readAllBytes(Path file) throws IOException {
        synchronized (lock) {
            if (dead) {
                throw new IOException("simulated power cut: the machine is off (read " + file + ")");
            }
            Inode inode = entries.get(file.toAbsolutePath());
            if (inode == null) {
                throw new NoSuchFileException(file.toString());
            }
            return inode.cached.clone();
        }
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        synchronized (lock) {
            if (dead) {
                throw new IOException("simulated power cut: the machine is off (list " + dir + ")");
            }
            Path d = dir.toAbsolutePath();
            return entries.keySet().stream().filter(p -> d.equals(p.getParent())).toList();
        }
    }

    @Override
    public boolean exists(Path path) {
        synchronized (lock) {
            Path p = path.toAbsolutePath();
            return entries.containsKey(p) || directories.contains(p);
        }
    }

    @Override
    public boolean isDirectory(Path path) {
        synchronized (lock) {
            return directories.contains(path.toAbsolutePath());
        }
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        synchronized (lock) {
            if (dead) {
                throw new IOException("simulated power cut: the machine is off (mkdir " + dir + ")");
            }
            for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
                if (!directories.contains(p) && readOnly != null && p.startsWith(readOnly)) {
                    throw new FileSystemException(p.toString(), null, "Read-only file system");
                }
                directories.add(p);
            }
        }
    }

    @Override
    public boolean deleteIfExists(Path path) throws IOException {
        synchronized (lock) {
            Path p = path.toAbsolutePath();
            if (!entries.containsKey(p)) {
                if (dead) {
                    throw new IOException("simulated power cut: the machine is off (delete " + p + ")");
                }
                return false;
            }
            step(p, "delete");
            entries.remove(p);
            return true;
        }
    }

    /** A channel on one inode; writes reach the page cache, {@code force} makes them durable. */
    private final class Channel extends FileChannel {
        private final Path path;
        private final Inode inode;
        private final boolean append;
        private long position;

        Channel(Path path, Inode inode, boolean append) {
            this.path = path;
            this.inode = inode;
            this.append = append;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            synchronized (lock) {
                int n = read(dst, position);
                if (n > 0) {
                    position += n;
                }
                return n;
            }
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                int n = read(dsts[i]);
                if (n < 0) {
                    return total == 0 ? -1 : total;
                }
                total += n;
            }
            return total;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            synchronized (lock) {
                long at = append ? inode.cached.length : position;
                int n = write(src, at);
                position = at + n;
                return n;
            }
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
        public long position() {
            return position;
        }

        @Override
        public FileChannel position(long newPosition) {
            position = newPosition;
            return this;
        }

        @Override
        public long size() throws IOException {
            synchronized (lock) {
                alive();
                return inode.cached.length;
            }
        }

        private void alive() throws IOException {
            if (dead) {
                throw new IOException("simulated power cut: the machine is off (" + path + ")");
            }
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            synchronized (lock) {
                if (size < inode.cached.length) {
                    step(path, "truncate");
                    change(inode, Arrays.copyOf(inode.cached, (int) size));
                }
                position = Math.min(position, size);
                return this;
            }
        }

        @Override
        public void force(boolean metaData) throws IOException {
            synchronized (lock) {
                step(path, "force");
                if (skipForce.test(path)) {
                    return;
                }
                inode.durable = inode.cached.clone();
                inode.history.clear();
            }
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(count, Integer.MAX_VALUE));
            int n = read(b, position);
            if (n <= 0) {
                return 0;
            }
            b.flip();
            return target.write(b);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(count, Integer.MAX_VALUE));
            int n = src.read(b);
            if (n <= 0) {
                return 0;
            }
            b.flip();
            return write(b, position);
        }

        @Override
        public int read(ByteBuffer dst, long at) throws IOException {
            synchronized (lock) {
                alive();
                if (at >= inode.cached.length) {
                    return dst.hasRemaining() ? -1 : 0;
                }
                int n = (int) Math.min(dst.remaining(), inode.cached.length - at);
                dst.put(inode.cached, (int) at, n);
                return n;
            }
        }

        @Override
        public int write(ByteBuffer src, long at) throws IOException {
            synchronized (lock) {
                step(path, "write");
                writes++;
                if (writes >= diskFullFrom) {
                    throw new IOException("No space left on device");
                }
                int n = src.remaining();
                byte[] next = Arrays.copyOf(inode.cached, (int) Math.max(inode.cached.length, at + n));
                src.get(next, (int) at, n);
                change(inode, next);
                return n;
            }
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException("memory mapping bypasses the modelled page cache");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            synchronized (lock) {
                alive();
            }
            return new Lock(this, position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return lock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() {
            // nothing to release: the bytes live in the inode
        }
    }

    private static final class Lock extends FileLock {
        private boolean valid = true;

        Lock(FileChannel channel, long position, long size, boolean shared) {
            super(channel, position, size, shared);
        }

        @Override
        public synchronized boolean isValid() {
            return valid && channel().isOpen();
        }

        @Override
        public synchronized void release() {
            valid = false;
        }
    }
}
