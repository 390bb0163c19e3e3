package io.jenkins.plugins.kubeplatform.common;

import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;

/** The plugin's one retry policy for Kubernetes API calls, as built by {@link PluginServices}. */
public final class ApiRetries {

    private ApiRetries() {
    }

    public static ApiRetry policy() {
        return PluginServices.retry();
    }
}
