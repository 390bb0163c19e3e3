package io.jenkins.plugins.kubeplatform.stickyip;

import io.jenkins.plugins.kubeplatform.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.store.Json;
import java.util.List;
import java.util.Map;

/** The {@code pools:} section of the platform configuration. */
public final class StickyIpConfig {

    public static final String SECTION = "pools";

    private StickyIpConfig() {
    }

    /** Validated pools by name (empty when the section is missing). */
    public static Map<String, IpPool> pools(PlatformConfig config) {
        List<PoolSettings> settings = config.<List<PoolSettings>>section(SECTION,
                Json.mapper().getTypeFactory().constructCollectionType(List.class, PoolSettings.class)).orElse(List.of());
        return PoolSettings.toPools(settings);
    }
}
