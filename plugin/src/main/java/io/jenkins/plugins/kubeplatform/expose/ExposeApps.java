package io.jenkins.plugins.kubeplatform.expose;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.common.ApiRetries;
import io.jenkins.plugins.kubeplatform.common.PluginServices;
import io.jenkins.plugins.kubeplatform.common.ResultAction;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.expose.DomainRegistry;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeEngine;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeRequest;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeResult;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeSettings;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore;
import java.util.ArrayList;
import java.util.List;

/** One exposeApp run from the step's settings: what the freestyle builder runs. */
final class ExposeApps {

    private ExposeApps() {
    }

    static ExposeResult expose(ExposeAppStep step, KubernetesClient client, String defaultNamespace, String owner,
            ExposeSettings settings, StateStore<DomainRegistry> registry, Progress progress) {
        String namespace = step.getNamespace().isBlank() ? defaultNamespace : step.getNamespace();
        ExposeRequest request = ExposeRequest.builder().namespace(namespace).app(step.getApp()).port(step.getPort())
                .targetPort(step.getTargetPort()).host(step.getHost()).service(step.getService()).route(step.getRoute())
                .onConflict(step.getOnConflict()).upstream(step.getUpstream()).verify(step.isVerify())
                .requestedBy(owner).build();
        return new ExposeEngine(client, settings, registry, PluginServices.clock(), progress, ApiRetries.policy())
                .expose(request);
    }

    /** The build page summary of an expose. */
    static ResultAction resultAction(ExposeResult result) {
        List<String> lines = new ArrayList<>();
        lines.add(result.url() + " for " + result.owner());
        lines.add("Service " + result.namespace() + "/" + result.service()
                + (result.routeName().isEmpty() ? "" : ", " + result.route() + " " + result.routeName()));
        result.verifyStatus().ifPresent(s -> lines.add("verified: HTTP " + s));
        return new ResultAction("exposeApp", lines, result.document());
    }
}
