package io.jenkins.plugins.kubeplatform.edgevm;

import io.jenkins.plugins.kubeplatform.common.ApiRetries;
import io.jenkins.plugins.kubeplatform.common.EngineStepExecution;
import io.jenkins.plugins.kubeplatform.common.FolderAccess;
import io.jenkins.plugins.kubeplatform.common.JenkinsProgress;
import io.jenkins.plugins.kubeplatform.common.PluginServices;
import io.jenkins.plugins.kubeplatform.common.ResultAction;
import io.jenkins.plugins.kubeplatform.common.StepHost;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.edgevm.ClusterClients;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmEngine;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmRequest;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Maps the step to an engine call (create, release or delete) on the plugin's workers, returns the result map and
 * shows it on the build. After a restart the call runs again: the inventory already records the VM of this tenant and
 * name, so a create converges on it (the VirtualMachine and its Secret exist) and continues waiting for the join.
 */
final class ProvisionEdgeVmExecution extends EngineStepExecution {

    private static final long serialVersionUID = 1L;

    /** Jenkins, or a test's stand-in for it. */
    static volatile EdgeVmHost host = EdgeVmHost.JENKINS;

    private final String action;
    private final String name;
    private final String tenant;
    private final int cpu;
    private final String memory;
    private final String disk;
    private final String image;
    private final boolean exclusive;
    private final String location;
    private final String region;
    private final String zone;
    private final String site;
    private final String cluster;
    private final boolean waitForJoin;

    ProvisionEdgeVmExecution(ProvisionEdgeVmStep step, StepContext context) {
        super(context);
        this.action = step.getAction();
        this.name = step.getName();
        this.tenant = step.getTenant();
        this.cpu = step.getCpu();
        this.memory = step.getMemory();
        this.disk = step.getDisk();
        this.image = step.getImage();
        this.exclusive = step.isExclusive();
        this.location = step.getLocation();
        this.region = step.getRegion();
        this.zone = step.getZone();
        this.site = step.getSite();
        this.cluster = step.getCluster();
        this.waitForJoin = step.isWaitForJoin();
    }

    @Override
    protected String functionName() {
        return "provisionEdgeVm";
    }

    @Override
    protected StepHost host() {
        return host;
    }

    @Override
    protected Object run() throws Exception {
        EdgeVmHost h = host;
        FolderAccess.check(h.job(getContext()), TenantQuotaConfig.access(tenant, h.tenantAllowedJobs(tenant)));
        Progress progress = JenkinsProgress.of(listener());
        ClusterClients clients = h.clients(getContext(), progress);
        try {
            EdgeVmEngine engine = new EdgeVmEngine(h.settings(), clients, h.tokens(getContext()),
                    h.inventory(), PluginServices.clock(),
                    ApiRetries.policy());
            phase(action + " edge VM " + name + " of tenant " + tenant);
            EdgeVmResult result = switch (action.toLowerCase(Locale.ROOT)) {
                case "create" -> engine.create(EdgeVmRequest.of(name, tenant, cpu, memory, disk, image, exclusive,
                        location, region, zone, site, cluster), waitForJoin, progress);
                case "release" -> engine.release(tenant, name, progress);
                case "delete" -> engine.delete(tenant, name, progress);
                default -> throw new InvalidInputException("action", "must be create, release or delete; got '"
                        + action + "'");
            };
            h.addAction(getContext(), EdgeVms.resultAction(result, action.toLowerCase(Locale.ROOT)));
            return result.toMap();
        } finally {
            if (clients instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }
}
