package io.jenkins.plugins.kubeplatform.engine.expose;

import java.util.Map;

/** Labels and annotations on the objects exposeApp creates; the sync reconciler follows objects carrying {@link #EXPOSE}. */
public final class ExposeLabels {

    public static final String PREFIX = "kubeplatform.jenkins.io/";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "kubernetes-platform-steps";
    public static final String APP_NAME = "app.kubernetes.io/name";
    /** "true" on Ingresses and HTTPRoutes whose hosts the platform registers and serves (also ones made by hand). */
    public static final String EXPOSE = PREFIX + "expose";
    public static final String NAMESPACE = PREFIX + "namespace";
    /** Annotation: the app name as given (any script), naming the owner of the route's host. */
    public static final String APP_ANNOTATION = PREFIX + "app";
    /** Annotation: where the platform's nginx sends the host's requests, when not the Service's cluster IP. */
    public static final String UPSTREAM_ANNOTATION = PREFIX + "upstream";
    /** The step recorded in {@link io.jenkins.plugins.kubeplatform.engine.kube.SharedObjects#OWNER_STEP}. */
    public static final String STEP = "exposeApp";

    private ExposeLabels() {
    }

    static Map<String, String> routeLabels(String serviceName) {
        return Map.of(MANAGED_BY, MANAGER, APP_NAME, serviceName, EXPOSE, "true");
    }
}
