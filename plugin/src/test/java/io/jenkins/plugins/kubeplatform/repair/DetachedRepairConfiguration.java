package io.jenkins.plugins.kubeplatform.repair;

/** A {@link RepairConfiguration} that is neither loaded nor saved, for tests outside this package. */
public final class DetachedRepairConfiguration {

    private DetachedRepairConfiguration() {
    }

    public static RepairConfiguration create() {
        return new RepairConfiguration((Void) null) {
            @Override
            public synchronized void save() {
                // never persisted
            }
        };
    }
}
