package io.jenkins.plugins.kubeplatform.store;

import io.jenkins.plugins.kubeplatform.store.StateStore.Update;
import java.nio.file.Path;

/** A separate JVM that writes as fast as it can and prints "ack N" once write N is acknowledged; killed by a test. */
public final class StoreWriterProcess {

    /** Large enough that a write takes a while, so the kill lands mid-write often. */
    record Counter(long value, String padding) {
    }

    private StoreWriterProcess() {
    }

    public static void main(String[] args) {
        AtomicFileStore<Counter> store = AtomicFileStore.of(Path.of(args[0]), "counter", Counter.class,
                () -> new Counter(0, ""));
        String padding = "x".repeat(512 * 1024);
        while (true) {
            long acknowledged = store.update(c -> Update.to(new Counter(c.value() + 1, padding), c.value() + 1));
            System.out.println("ack " + acknowledged);
            System.out.flush();
        }
    }
}
