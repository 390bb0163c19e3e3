package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.store.WriterJvm;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The store contract on the cluster store: one ConfigMap per address in a namespace of the simulated cluster. */
class ClusterLedgerStoreContractTest extends LedgerStoreContract {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static SimulatedCluster sim;
    private String namespace;

    @BeforeAll
    static void startCluster() {
        sim = SimulatedCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        sim.close();
    }

    @BeforeEach
    void freshNamespace() {
        namespace = "ledger-" + NAMESPACES.incrementAndGet();
        TestNamespaces.with(sim, namespace);
    }

    static ApiRetry retry() {
        return new ApiRetry(6, Duration.ofMillis(20), Duration.ofMillis(500), d -> Thread.sleep(d.toMillis()));
    }

    @Override
    LedgerStore instance() {
        return new ClusterLedgerStore(sim.client(), namespace, retry(), new Random());
    }

    @Override
    Process writerProcess(String prefix, int count) throws Exception {
        return WriterJvm.start(ClusterLedgerWriterProcess.class, sim.url(), namespace, prefix,
                Integer.toString(count));
    }
}
