package io.jenkins.plugins.kubeplatform.common;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.AbortException;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The one mapping from engine failures to what a build shows, for every step and builder. */
class BuildFailuresTest {

    private static KubernetesClientException api(int code, String message, String kind, String name) {
        Status status = new StatusBuilder().withCode(code).withMessage(message).withNewDetails().withKind(kind)
                .withName(name).endDetails().build();
        return new KubernetesClientException(status);
    }

    @Test
    void namesTheFieldAndTheRuleAndSaysNothingChangedWhenTheInputIsInvalid() {
        Throwable t = BuildFailures.toBuildFailure("stickyIpDeploy", new InvalidInputException("replicas",
                "must be between 0 and 500"));

        assertThat(t).isInstanceOf(AbortException.class).hasMessage("stickyIpDeploy: invalid input, nothing in the "
                + "cluster was changed: replicas: must be between 0 and 500");
    }

    @Test
    void quotesTheClustersAnswerAndTheObjectWhenTheApiRefuses() {
        Throwable t = BuildFailures.toBuildFailure("exposeApp", api(403,
                "ingresses.networking.k8s.io \"shop\" is forbidden", "ingresses", "shop"));

        assertThat(t).isInstanceOf(AbortException.class)
                .hasMessageStartingWith("exposeApp: the cluster refused a request for ingresses shop: HTTP 403 "
                        + "ingresses.networking.k8s.io \"shop\" is forbidden")
                .hasMessageContaining("docs/rbac.yaml");
    }

    @Test
    void saysToRunAgainWhenTheClusterDidNotAnswer() {
        Throwable direct = BuildFailures.toBuildFailure("provisionEdgeVm", api(503, "etcdserver: leader changed",
                null, null));
        Throwable afterRetries = BuildFailures.toBuildFailure("provisionEdgeVm", new OperationFailedException(
                "create VirtualMachine edge/acme-web failed after 6 attempts: HTTP 503 unavailable",
                api(503, "unavailable", null, null)));

        assertThat(direct).isInstanceOf(AbortException.class).hasMessageContaining("HTTP 503 etcdserver: leader changed")
                .hasMessageContaining("run the build again");
        assertThat(afterRetries).isInstanceOf(AbortException.class)
                .hasMessageContaining("create VirtualMachine edge/acme-web failed after 6 attempts")
                .hasMessageContaining("run the build again");
    }

    @Test
    void passesTheEnginesSentenceThroughWhenAnOperationFails() {
        Throwable t = BuildFailures.toBuildFailure("stickyIpDeploy",
                new OperationFailedException("shop/web-1: pod is ContainerCreating: address 10.42.0.7 is in use"));

        assertThat(t).isInstanceOf(AbortException.class)
                .hasMessage("stickyIpDeploy: shop/web-1: pod is ContainerCreating: address 10.42.0.7 is in use");
    }

    @Test
    void keepsBugsAndInterruptionsAsTheyAreSoTheirStackTraceAndAbortStay() throws Exception {
        IllegalStateException bug = new IllegalStateException("unexpected");
        InterruptedException abort = new InterruptedException("aborted");
        AbortException user = new AbortException("already a sentence");

        assertThat(BuildFailures.toBuildFailure("repairNode", bug)).isSameAs(bug);
        assertThat(BuildFailures.toBuildFailure("repairNode", abort)).isSameAs(abort);
        assertThat(BuildFailures.toBuildFailure("repairNode", user)).isSameAs(user);
        assertThat(BuildFailures.toBuildFailure("repairNode", new IOException("disk"))).isInstanceOf(IOException.class);
    }
}
