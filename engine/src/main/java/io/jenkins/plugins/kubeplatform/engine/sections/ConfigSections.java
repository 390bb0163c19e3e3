package io.jenkins.plugins.kubeplatform.engine.sections;

import io.jenkins.plugins.kubeplatform.engine.config.KubePlatformSchema;
import io.jenkins.plugins.kubeplatform.engine.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmsSchema;
import io.jenkins.plugins.kubeplatform.engine.expose.DomainsSchema;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairSchema;
import io.jenkins.plugins.kubeplatform.engine.schema.Setting;
import io.jenkins.plugins.kubeplatform.engine.schema.SettingsSection;
import io.jenkins.plugins.kubeplatform.engine.stickyip.StickyIpSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configuration sections declared with the schema ({@link SettingsSection}), in one list: the CLI checks them
 * all when it loads its file, and the tests hold the Jenkins forms and docs/configuration.md to them. Sections not yet
 * declared this way are checked by {@link PlatformConfig} itself.
 */
public final class ConfigSections {

    /** The declared top-level sections. */
    public static final List<SettingsSection> DECLARED = List.of(KubePlatformSchema.SECTION, StickyIpSchema.SECTION,
            DomainsSchema.SECTION, RepairSchema.SECTION, EdgeVmsSchema.SECTION);

    private ConfigSections() {
    }

    /** Reads every declared section of {@code config}, so an unknown key or a bad value fails at load. */
    public static void check(PlatformConfig config) {
        for (SettingsSection section : DECLARED) {
            section.read(section.path(), config.raw(section.path()));
        }
    }

    /** Every key of the configuration by path ({@code repair.pools[]} for a list's items). */
    public static Map<String, Set<String>> keys() {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (SettingsSection section : DECLARED) {
            add(out, section);
        }
        return out;
    }

    private static void add(Map<String, Set<String>> out, SettingsSection section) {
        out.put(section.path(), section.keys());
        for (Setting<?> s : section.settings()) {
            s.items().ifPresent(items -> add(out, items));
        }
    }

    /** The documentation tables of a declared section and of its lists' items, as docs/configuration.md has them. */
    public static String markdown(SettingsSection section) {
        StringBuilder b = new StringBuilder("`" + section.path() + "`:\n\n").append(section.markdownTable());
        for (Setting<?> s : section.settings()) {
            s.items().ifPresent(items -> b.append('\n').append(markdown(items)));
        }
        return b.toString();
    }
}
