package io.jenkins.plugins.kubeplatform.expose;

/** A {@link DomainSettingsConfiguration} that is neither loaded nor saved, for tests outside this package. */
public final class DetachedDomainSettingsConfiguration {

    private DetachedDomainSettingsConfiguration() {
    }

    public static DomainSettingsConfiguration create() {
        return new DomainSettingsConfiguration((Void) null) {
            @Override
            public synchronized void save() {
                // never persisted
            }
        };
    }
}
