package io.jenkins.plugins.kubeplatform.stickyip;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.common.JenkinsStateDirectory;
import io.jenkins.plugins.kubeplatform.common.PluginServices;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerSettings;
import io.jenkins.plugins.kubeplatform.kube.SystemClients;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The controller's one ledger, where {@code stickyIp.ledgerStore} says: under {@code JENKINS_HOME/kubeplatform/ip-ledger}
 * (file) or in the pools' cluster (ConfigMaps, shared with other controllers). One instance per controller and
 * setting keeps the file ledger in memory between builds; every call still re-reads what others wrote. Changing the
 * setting opens the other store on the next call.
 */
public final class StickyIpLedgers {

    private static IpReservationLedger ledger;
    private static LedgerSettings openedWith;
    /** The SYSTEM clients the cluster ledger uses, given back when it is replaced. */
    private static final List<SystemClients.Lease> LEASES = new ArrayList<>();

    private StickyIpLedgers() {
    }

    public static synchronized IpReservationLedger get() {
        LedgerSettings settings = StickyIpConfiguration.get().ledgerSettings();
        if (ledger == null || !settings.equals(openedWith)) {
            close();
            ledger = settings.open(JenkinsStateDirectory.path(), StickyIpLedgers::client, io.jenkins.plugins.kubeplatform.common.ApiRetries.policy(),
                    PluginServices.clock());
            openedWith = settings;
        }
        return ledger;
    }

    private static KubernetesClient client(Optional<String> cluster) {
        try {
            // the ledger is the controller's, not a build's: it is reached with the configured credential as SYSTEM
            SystemClients.Lease lease = SystemClients.get().lease(cluster.orElse(""));
            LEASES.add(lease);
            return lease.client();
        } catch (hudson.AbortException e) {
            throw new OperationFailedException("the cluster ledger (stickyIp.ledgerStore: cluster) cannot reach its "
                    + "cluster: " + e.getMessage(), e);
        }
    }

    private static void close() {
        if (ledger != null && ledger.store() instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // the old store is being replaced; a failed close loses nothing acknowledged
            }
        }
        LEASES.forEach(SystemClients.Lease::close);
        LEASES.clear();
        ledger = null;
    }
}
