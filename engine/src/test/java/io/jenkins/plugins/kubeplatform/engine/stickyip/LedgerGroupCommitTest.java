package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerStore.Decision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerGroupCommitTest {

    @TempDir
    Path dir;

    @Test
    void acknowledgesEveryConcurrentChangeOnlyAfterAForceCoveringItAndSharesForces() throws Exception {
        JournaledLedgerStore store = new JournaledLedgerStore(dir);
        int threads = 8;
        int perThread = 40;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(executor.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                List<String> violations = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    String identity = "ns/t" + thread + "-" + i;
                    String ip = "10.1." + thread + "." + (i + 1);
                    long mine = store.update(v -> new Decision<>(List.of(new LedgerChange.Put(
                            JournaledLedgerStoreTest.reservation(identity, ip))), store.lastSeq() + 1));
                    long durable = store.durableSeq();
                    if (durable < mine) {
                        violations.add(identity + " acknowledged as record " + mine + " while only " + durable
                                + " was durable");
                    }
                }
                return violations;
            }));
        }
        List<String> violations = new ArrayList<>();
        for (Future<List<String>> f : results) {
            violations.addAll(f.get(60, TimeUnit.SECONDS));
        }
        executor.shutdown();

        assertThat(violations).isEmpty();
        int changes = threads * perThread;
        assertThat(store.durableSeq()).isEqualTo(changes);
        // with eight writers racing, a force that is running covers the records appended meanwhile
        assertThat(store.forces()).isPositive().isLessThan(changes);
        store.close();
        assertThat(new JournaledLedgerStore(dir).<Integer>read(LedgerView::size)).isEqualTo(changes);
    }
}
