package io.jenkins.plugins.kubeplatform.stickyip;

import hudson.Extension;
import hudson.model.AsyncPeriodicWork;
import hudson.model.TaskListener;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.common.ApiRetries;
import io.jenkins.plugins.kubeplatform.common.PluginServices;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.PodAdopter;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ReservationCollector;
import io.jenkins.plugins.kubeplatform.engine.stickyip.StickyPins;
import io.jenkins.plugins.kubeplatform.kube.SystemClients;
import java.util.Map;

/**
 * Every five minutes: adopt unknown pods in pool ranges and record node changes (SIP-9), then release idle
 * reservations past their pool's reclaim-after (SIP-8). Runs only when pools are configured.
 */
@Extension
public final class StickyIpMaintenance extends AsyncPeriodicWork {

    public StickyIpMaintenance() {
        super("Sticky IP adoption and garbage collection");
    }

    @Override
    public long getRecurrencePeriod() {
        return 5 * MIN;
    }

    @Override
    protected void execute(TaskListener listener) throws java.io.IOException {
        StickyIpConfiguration config = StickyIpConfiguration.get();
        if (config.getPools().isEmpty()) {
            return;
        }
        run(config.getCluster(), config.validatedPools(), Progress.to(listener.getLogger()));
    }

    /** One adoption pass and one GC sweep; also used by "Run GC now" on the reservations page. */
    static ReservationCollector.Report run(String cluster, Map<String, IpPool> pools, Progress progress)
            throws hudson.AbortException {
        try (SystemClients.Lease lease = SystemClients.get().lease(cluster)) {
            KubernetesClient client = lease.client();
            new PodAdopter(client, ApiRetries.policy(), StickyIpLedgers.get(), pools, PluginServices.clock()).sync(progress);
            // SIP-15: a required pin to a deleted or long NotReady node would leave its pod Pending until the next deploy
            new StickyPins(client, ApiRetries.policy(), PluginServices.clock(), java.util.Optional.of(StickyIpLedgers.get()))
                    .releaseLost(StickyPins.LOST_NODE_GRACE, progress);
            return ReservationCollector.create(client, ApiRetries.policy(), StickyIpLedgers.get(), pools, PluginServices.clock())
                    .collect(progress);
        }
    }
}
