package io.jenkins.plugins.kubeplatform.repair;

import hudson.AbortException;
import hudson.Extension;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.common.ApiRetries;
import io.jenkins.plugins.kubeplatform.common.PluginServices;
import io.jenkins.plugins.kubeplatform.common.StatusPageLink;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.repair.NodeRepairer;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairAction;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairBoard;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairRequest;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairSettings;
import io.jenkins.plugins.kubeplatform.kube.SystemClients;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.util.Timer;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins › Node repairs: every node under maintenance in the default cluster, by pool, with state, since, the
 * owning build and the failure reason. Viewing needs Manage; releasing or retrying a failed or stuck repair needs
 * Administer and a POST. {@code api/json} gives the same rows.
 */
@Extension
@ExportedBean
public final class NodeRepairsLink extends StatusPageLink {

    private static final Logger LOGGER = Logger.getLogger(NodeRepairsLink.class.getName());

    public NodeRepairsLink() {
        super("symbol-build-outline plugin-ionicons-api", "kubeplatform-node-repairs", Jenkins.MANAGE);
    }

    @Override
    public String getDisplayName() {
        return Messages.NodeRepairsLink_DisplayName();
    }

    @Override
    public String getDescription() {
        return Messages.NodeRepairsLink_Description();
    }

    /** The page's rows, for index.jelly. */
    public RepairsViewModel getView() {
        Jenkins.get().checkPermission(Jenkins.MANAGE);
        try (SystemClients.Lease lease = lease()) {
            return RepairsViewModel.of(board(lease.client()).list(), PluginServices.clock().instant());
        } catch (AbortException | KubernetesClientException e) {
            return RepairsViewModel.unavailable(e.getMessage());
        }
    }

    /** The rows as {@code api/json} writes them. */
    @Exported(name = "repairs", inline = true)
    public List<Map<String, Object>> getRepairs() {
        return getView().rows().stream().map(RepairsViewModel.Row::toMap).toList();
    }

    /** Gives a failed, aborted or stuck repair's node back without repairing it. */
    @POST
    public HttpResponse doRelease(@QueryParameter String node) throws AbortException {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        try (SystemClients.Lease lease = lease()) {
            release(board(lease.client()), node);
        }
        return HttpResponses.redirectToDot();
    }

    /** Starts the configured repair command again for a failed, aborted or stuck repair, in the background. */
    @POST
    public HttpResponse doRetry(@QueryParameter String node) throws AbortException {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        RepairSettings settings = RepairConfiguration.get().settings();
        if (settings.command().isBlank()) {
            throw new AbortException(Messages.NodeRepairsLink_NoCommand());
        }
        String owner = "jenkins-page:" + Jenkins.getAuthentication2().getName();
        SystemClients.Lease lease = lease();
        Timer.get().submit(() -> {
            try (lease) {
                new NodeRepairer(lease.client(), ApiRetries.policy(), settings, PluginServices.clock())
                        .recordingPinReleasesIn(io.jenkins.plugins.kubeplatform.stickyip.StickyIpLedgers.get())
                        .repair(RepairRequest.of(node, owner),
                        RepairAction.command(settings.command(), settings.repairTimeout()), Progress.silent());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "retried repair of node " + node + " failed", e);
            }
        });
        return HttpResponses.redirectToDot();
    }

    /** Releases {@code node} on {@code board}; an {@link AbortException} says why nothing was done. */
    static void release(RepairBoard board, String node) throws AbortException {
        RepairBoard.ReleaseOutcome outcome = board.release(node == null ? "" : node.trim());
        switch (outcome) {
            case RELEASED -> {
            }
            case NOT_UNDER_REPAIR -> throw new AbortException(Messages.NodeRepairsLink_NotUnderRepair(node));
            case STILL_RUNNING -> throw new AbortException(Messages.NodeRepairsLink_StillRunning(node));
            case CHANGED -> throw new AbortException(Messages.NodeRepairsLink_Changed(node));
        }
    }

    private static RepairBoard board(KubernetesClient client) {
        return new RepairBoard(client, ApiRetries.policy(), RepairConfiguration.get().settings(), PluginServices.clock());
    }

    /** The default cluster's shared SYSTEM client; the page closes the lease, not the client. */
    private static SystemClients.Lease lease() throws AbortException {
        return SystemClients.get().lease("");
    }
}
