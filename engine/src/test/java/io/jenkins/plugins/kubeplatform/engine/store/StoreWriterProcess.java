package io.jenkins.plugins.kubeplatform.engine.store;

import io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update;
import java.nio.file.Path;

/**
 * A separate JVM that writes as fast as it can and prints "ack N" once write N is acknowledged; killed by a test.
 * With {@code POINT N} after the file, the write after the N-th acknowledgement stops at that write boundary of the
 * state file ({@link HaltingFileIo}) and says so, for the test to kill it right there.
 */
public final class StoreWriterProcess {

    /** Large enough that a write takes a while, so the kill lands mid-write often. */
    record Counter(long value, String padding) {
    }

    private StoreWriterProcess() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        HaltingFileIo io = null;
        long armAfter = Long.MAX_VALUE;
        if (args.length > 2) {
            // the state file's temporary file (written, forced, renamed) or the state file itself (renamed, fsynced)
            String tmpPrefix = "." + file.getFileName() + ".tmp-";
            io = new HaltingFileIo(HaltingFileIo.Point.valueOf(args[1]),
                    name -> name.startsWith(tmpPrefix) || name.equals(file.getFileName().toString()), System.out);
            armAfter = Long.parseLong(args[2]);
        }
        AtomicFileStore<Counter> store = AtomicFileStore.of(file, "counter", Counter.class,
                () -> new Counter(0, ""), AtomicFileStore.Validator.none(), io == null ? FileIo.nio() : io);
        String padding = "x".repeat(512 * 1024);
        for (long n = 1; ; n++) {
            long acknowledged = store.update(c -> Update.to(new Counter(c.value() + 1, padding), c.value() + 1));
            System.out.println("ack " + acknowledged);
            System.out.flush();
            if (n == armAfter) {
                io.arm();
            }
        }
    }
}
