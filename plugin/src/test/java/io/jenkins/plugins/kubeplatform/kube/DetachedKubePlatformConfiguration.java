package io.jenkins.plugins.kubeplatform.kube;

/** A {@link KubePlatformConfiguration} that is neither loaded nor saved, for tests outside this package. */
public final class DetachedKubePlatformConfiguration {

    private DetachedKubePlatformConfiguration() {
    }

    public static KubePlatformConfiguration create() {
        return new KubePlatformConfiguration((Void) null) {
            @Override
            public synchronized void save() {
                // never persisted
            }
        };
    }
}
