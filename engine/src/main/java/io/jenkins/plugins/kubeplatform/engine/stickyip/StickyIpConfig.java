package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.jenkins.plugins.kubeplatform.engine.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import java.util.List;
import java.util.Map;

/**
 * The pools of the platform configuration: its {@code stickyIp} section ({@link StickyIpSchema}), or the top-level
 * {@code pools:} list of files written for earlier versions.
 */
public final class StickyIpConfig {

    /** The top-level list of files written for earlier versions. */
    public static final String LEGACY_SECTION = "pools";

    private StickyIpConfig() {
    }

    /** Validated pools by name (empty when the section is missing). */
    public static Map<String, IpPool> pools(PlatformConfig config) {
        if (!config.raw(StickyIpSchema.SECTION.path()).isMissingNode()) {
            return StickyIpSchema.pools(config.raw(StickyIpSchema.SECTION.path()));
        }
        List<PoolSettings> settings = config.<List<PoolSettings>>section(LEGACY_SECTION,
                Json.mapper().getTypeFactory().constructCollectionType(List.class, PoolSettings.class)).orElse(List.of());
        return PoolSettings.toPools(settings);
    }
}
