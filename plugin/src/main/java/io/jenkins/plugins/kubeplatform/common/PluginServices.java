package io.jenkins.plugins.kubeplatform.common;

import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import java.time.Clock;

/**
 * The plugin's composition root: the clock and the retry policy for Kubernetes API calls, built once when the plugin
 * is loaded and handed to every engine object a step, builder, page or periodic task creates. Tests build their own
 * and pass them to the same constructors.
 */
public final class PluginServices {

    private static final Clock CLOCK = Clock.systemUTC();
    private static final ApiRetry RETRY = ApiRetry.defaults();

    private PluginServices() {
    }

    /** The plugin's clock (UTC). */
    public static Clock clock() {
        return CLOCK;
    }

    /** The plugin's retry policy: 5xx, 429 with Retry-After, broken connections; bounded, jittered. */
    public static ApiRetry retry() {
        return RETRY;
    }
}
