package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;

/**
 * A separate JVM writing the inventory at {@code file <dir>} or {@code cluster <url> <namespace>}, then
 * {@code <role> <count>}: for i in 0..count it records VM {@code vm-i} unless a live one exists (printing "created"
 * or "existing") and adds one to the attempts of VM {@code counter}. Stands for a second controller or CLI run.
 */
public final class InventoryWriterProcess {

    private InventoryWriterProcess() {
    }

    public static void main(String[] args) {
        boolean cluster = args[0].equals("cluster");
        String role = args[cluster ? 3 : 2];
        int count = Integer.parseInt(args[cluster ? 4 : 3]);
        if (!cluster) {
            run(EdgeVmEngine.inventoryStore(Path.of(args[1])), role, count);
            return;
        }
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(args[1]).withTrustCerts(true)
                .withHttp2Disable(true).withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            run(new ClusterInventoryStore(client, args[2], ClusterInventoryStoreContractTest.retry(), new Random()),
                    role, count);
        }
    }

    private static void run(StateStore<Inventory> store, String role, int count) {
        for (int i = 0; i < count; i++) {
            VmRecord wanted = InventoryStoreContract.vm("vm-" + i, Instant.parse("2026-12-01T00:00:00Z").plusSeconds(i));
            boolean created = store.update(inv -> inv.liveVm(wanted.vm()).isPresent() ? Update.unchanged(inv, false)
                    : Update.to(inv.add(wanted), true));
            System.out.println(created ? "created" : "existing");
            store.update(inv -> Update.to(inv.update("demo-counter", r -> r.toBuilder().attempts(r.attempts() + 1)
                    .build()), null));
            System.out.flush();
        }
    }
}
