package io.jenkins.plugins.kubeplatform.stickyip;

import java.util.Arrays;
import java.util.Map;

/** Validated pools from pool configurations, as the global configuration builds them. */
final class StickyIpConfigurationPools {

    private StickyIpConfigurationPools() {
    }

    static Map<String, IpPool> of(PoolConfig... configs) {
        return PoolSettings.toPools(Arrays.stream(configs).map(PoolConfig::toSettings).toList());
    }
}
