package io.jenkins.plugins.kubeplatform.common;

import io.jenkins.plugins.kubeplatform.kube.ApiRetry;

/**
 * The plugin's one retry policy for Kubernetes API calls (5xx, 429 with Retry-After, broken connections; bounded,
 * jittered), built once and used by every step, builder, page and periodic task.
 */
public final class ApiRetries {

    private static final ApiRetry POLICY = ApiRetry.defaults();

    private ApiRetries() {
    }

    public static ApiRetry policy() {
        return POLICY;
    }
}
