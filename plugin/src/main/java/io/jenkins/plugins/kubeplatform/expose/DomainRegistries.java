package io.jenkins.plugins.kubeplatform.expose;

import io.jenkins.plugins.kubeplatform.common.JenkinsStateDirectory;
import io.jenkins.plugins.kubeplatform.engine.expose.DomainRegistry;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore;
import java.nio.file.Path;

/**
 * The controller's one domain registry ({@code JENKINS_HOME/kubeplatform/domain-registry.json}), built once and
 * handed to every step, builder, page and the expose sync. Every read still sees what other writers acknowledged.
 */
public final class DomainRegistries {

    private static StateStore<DomainRegistry> store;
    private static Path openedAt;

    private DomainRegistries() {
    }

    public static synchronized StateStore<DomainRegistry> get() {
        Path dir = JenkinsStateDirectory.path();
        if (store == null || !dir.equals(openedAt)) {
            store = DomainRegistry.fileStore(dir);
            openedAt = dir;
        }
        return store;
    }
}
