package io.jenkins.plugins.kubeplatform.stickyip;

import io.jenkins.plugins.kubeplatform.engine.stickyip.IpPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.PoolSettings;
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
