package io.jenkins.plugins.kubeplatform.cli.stickyip;

import io.jenkins.plugins.kubeplatform.engine.stickyip.JournaledLedgerStore;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerView;
import java.nio.file.Path;

/** Opens a ledger in a fresh JVM and prints the wall and CPU nanoseconds that took, then the size (the benchmark's cold open). */
public final class LedgerOpenProbe {

    private LedgerOpenProbe() {
    }

    public static void main(String[] args) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        JournaledLedgerStore store = new JournaledLedgerStore(Path.of(args[0]));
        int size = store.read(LedgerView::size);
        long nanos = System.nanoTime() - start;
        System.out.println(nanos + " " + (threads.getCurrentThreadCpuTime() - cpuStart) + " " + size);
        store.close();
    }
}
