package io.jenkins.plugins.kubeplatform.engine.stickyip;

import java.util.List;

/** Pool fixtures for tests. */
final class Pools {

    private Pools() {
    }

    static IpPool pool(String name, String... ranges) {
        return PoolSettings.builder(name).ranges(ranges).keepNamespaces("keep").reclaimAfter("1h").build().toPool();
    }

    static IpPool pool(PoolSettings settings) {
        return settings.toPool();
    }
}
