package io.jenkins.plugins.kubeplatform.stickyip;

/** A {@link StickyIpConfiguration} that is neither loaded nor saved, for tests outside this package. */
public final class DetachedStickyIpConfiguration {

    private DetachedStickyIpConfiguration() {
    }

    public static StickyIpConfiguration create() {
        return new StickyIpConfiguration((Void) null) {
            @Override
            public synchronized void save() {
                // never persisted
            }
        };
    }
}
