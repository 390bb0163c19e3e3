package io.jenkins.plugins.kubeplatform.stickyip;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.common.ApiRetries;
import io.jenkins.plugins.kubeplatform.common.ResultAction;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import io.jenkins.plugins.kubeplatform.engine.stickyip.DeployRequest;
import io.jenkins.plugins.kubeplatform.engine.stickyip.DeployResult;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger;
import io.jenkins.plugins.kubeplatform.engine.stickyip.StickyIpDeployer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One sticky-IP deploy of a prebuilt image from the step's settings: what the freestyle builder runs. */
final class StickyIpDeploys {

    private StickyIpDeploys() {
    }

    /** Deploys {@code step} with {@code client}; {@code defaultNamespace} is the cluster connection's. */
    static DeployResult deploy(StickyIpDeployStep step, KubernetesClient client, String defaultNamespace, String owner,
            Map<String, IpPool> pools, IpReservationLedger ledger, Progress progress) {
        if (step.getBuild() != null) {
            throw new InvalidInputException("build", "is only available in Pipeline (it builds on the agent of the "
                    + "step); in a freestyle job give image: a prebuilt image such as registry/app:1.0");
        }
        if (step.getImage().isEmpty()) {
            throw new InvalidInputException("image", "is required: give a prebuilt image such as registry/app:1.0");
        }
        return new StickyIpDeployer(client, pools, ledger, io.jenkins.plugins.kubeplatform.common.ApiRetries.policy()).deploy(
                request(step, defaultNamespace, owner), progress);
    }

    /** The engine request of a configured step. */
    static DeployRequest request(StickyIpDeployStep step, String defaultNamespace, String owner) {
        return new DeployRequest(
                step.getNamespace().isEmpty() ? defaultNamespace : step.getNamespace(), step.getName(),
                step.getImage(), DeployRequest.replicas(step.getReplicas(), java.util.Optional.empty()), step.getPort(),
                step.getPool(), owner,
                Require.duration("timeout", step.getTimeout()), step.environment());
    }

    /** The build page summary of a deploy. */
    static ResultAction resultAction(DeployResult result) {
        List<String> lines = new ArrayList<>();
        lines.add("service " + result.service() + ", image " + result.image()
                + result.imageDigest().map(d -> " (" + d + ")").orElse(""));
        for (DeployResult.IdentityResult r : result.identities()) {
            lines.add(r.identity() + ": " + r.ip() + " on " + r.node());
        }
        result.removed().forEach(r -> lines.add(r + ": removed"));
        return new ResultAction("stickyIpDeploy " + result.namespace() + "/" + result.name(), lines,
                result.document());
    }
}
