package io.jenkins.plugins.kubeplatform.stickyip;

import java.util.List;

/** Pool fixtures for tests. */
final class Pools {

    private Pools() {
    }

    static IpPool pool(String name, String... ranges) {
        return new PoolSettings(name, List.of(ranges), List.of(), "calico", "lowest", List.of("keep"), "1h",
                "preferred", false).toPool();
    }

    static IpPool pool(PoolSettings settings) {
        return settings.toPool();
    }
}
