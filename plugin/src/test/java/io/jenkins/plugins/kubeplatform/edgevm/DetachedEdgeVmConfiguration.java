package io.jenkins.plugins.kubeplatform.edgevm;

/** A {@link EdgeVmConfiguration} that is neither loaded nor saved, for tests outside this package. */
public final class DetachedEdgeVmConfiguration {

    private DetachedEdgeVmConfiguration() {
    }

    public static EdgeVmConfiguration create() {
        return new EdgeVmConfiguration((Void) null) {
            @Override
            public synchronized void save() {
                // never persisted
            }
        };
    }
}
