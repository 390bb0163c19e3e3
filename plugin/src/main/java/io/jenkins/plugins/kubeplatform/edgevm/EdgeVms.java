package io.jenkins.plugins.kubeplatform.edgevm;

import io.jenkins.plugins.kubeplatform.common.ResultAction;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmEngine;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmRequest;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmResult;
import java.util.List;
import java.util.Locale;

/** One provisionEdgeVm run (create, release or delete) from the step's settings: what the freestyle builder runs. */
final class EdgeVms {

    private EdgeVms() {
    }

    static EdgeVmResult run(ProvisionEdgeVmStep step, EdgeVmEngine engine, Progress progress) {
        return switch (step.getAction().toLowerCase(Locale.ROOT)) {
            case "create" -> engine.create(EdgeVmRequest.of(step.getName(), step.getTenant(), step.getCpu(),
                    step.getMemory(), step.getDisk(), step.getImage(), step.isExclusive(), step.getLocation(),
                    step.getRegion(), step.getZone(), step.getSite(), step.getCluster()), step.isWaitForJoin(),
                    progress);
            case "release" -> engine.release(step.getTenant(), step.getName(), progress);
            case "delete" -> engine.delete(step.getTenant(), step.getName(), progress);
            default -> throw new InvalidInputException("action", "must be create, release or delete; got '"
                    + step.getAction() + "'");
        };
    }

    /** The build page summary of an edge VM operation. */
    static ResultAction resultAction(EdgeVmResult result, String action) {
        return new ResultAction("provisionEdgeVm", List.of(
                result.outcome() + ": edge VM " + result.vm() + " (tenant " + result.tenant() + ") on site "
                        + result.site() + ", edge cluster " + result.edgeCluster(),
                "node " + (result.node() == null ? "-" : result.node()) + ", address "
                        + (result.address() == null ? "-" : result.address()) + ", state " + result.state()),
                result.document(action));
    }
}
