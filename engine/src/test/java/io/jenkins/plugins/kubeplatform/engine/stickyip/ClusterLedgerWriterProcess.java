package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A separate JVM allocating through the cluster store of an API server at {@code args[0]}, namespace {@code args[1]}:
 * {@code args[3]} identities {@code ns/<args[2]>-i} from 10.40.0.0/14 (and fd00:40::/64 with {@code args[4]} =
 * {@code dual}), printing "ack ip identity" for each address once it is acknowledged. Stands for a second Jenkins controller sharing the cluster ledger.
 */
public final class ClusterLedgerWriterProcess {

    private ClusterLedgerWriterProcess() {
    }

    public static void main(String[] args) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(args[0]).withTrustCerts(true)
                .withHttp2Disable(true).withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            ClusterLedgerStore store = new ClusterLedgerStore(client, args[1], ClusterLedgerStoreContractTest.retry(),
                    new Random());
            IpReservationLedger ledger = new IpReservationLedger(store, Clock.systemUTC(), new Random());
            boolean dual = args.length > 4 && args[4].equals("dual");
            IpPool pool = dual ? Pools.pool("default", "10.40.0.0/14", "fd00:40::/64")
                    : Pools.pool("default", "10.40.0.0/14");
            int count = Integer.parseInt(args[3]);
            for (int i = 0; i < count; i++) {
                List<Reservation> held = ledger.reserveAll(pool, List.of(new ReplicaIdentity("ns", args[2], i)),
                        Set.of(), Set.of(), args[2]).get(0);
                for (Reservation r : held) {
                    System.out.println("ack " + r.ip() + " " + r.identity());
                }
                System.out.flush();
            }
        }
    }
}
