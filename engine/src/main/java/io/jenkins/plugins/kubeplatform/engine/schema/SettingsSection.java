package io.jenkins.plugins.kubeplatform.engine.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * A configuration section declared once as its list of {@link Setting}s ({@code repair}, or {@code repair.pools[]}
 * for the items of a list): it reads a YAML/JSON mapping strictly (an unknown key is refused, naming the key and the
 * section), checks single values for forms and renders its documentation table.
 */
public final class SettingsSection {

    private final String path;
    private final Map<String, Setting<?>> settings = new LinkedHashMap<>();
    private final Set<String> undocumented;

    public SettingsSection(String path, List<Setting<?>> settings) {
        this(path, settings, Set.of());
    }

    /**
     * A section that also lets through the keys {@code undocumented} (blocks of files written for earlier versions,
     * which the section's owner reads itself): they are neither read, listed nor documented here.
     */
    public SettingsSection(String path, List<Setting<?>> settings, Set<String> undocumented) {
        this.path = path;
        this.undocumented = Set.copyOf(undocumented);
        for (Setting<?> s : settings) {
            if (this.settings.put(s.name(), s) != null) {
                throw new IllegalArgumentException(path + ": key '" + s.name() + "' is declared twice");
            }
        }
    }

    /** {@code repair}, or {@code repair.pools[]} for the items of a list. */
    public String path() {
        return path;
    }

    /** The keys in declaration order. */
    public Set<String> keys() {
        return new LinkedHashSet<>(settings.keySet());
    }

    public List<Setting<?>> settings() {
        return List.copyOf(settings.values());
    }

    public Optional<Setting<?>> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    /**
     * The values of {@code node} (missing or null: none given) at {@code where}; a blank text or null value counts as
     * not given. Every value is parsed here, so a bad one fails before anything uses the section.
     */
    public SectionValues read(String where, JsonNode node) {
        Map<String, Object> given = new LinkedHashMap<>();
        if (node != null && !node.isMissingNode() && !node.isNull()) {
            if (!node.isObject()) {
                throw new InvalidInputException(where, "must be a mapping of keys to values");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (undocumented.contains(field.getKey())) {
                    continue;
                }
                Setting<?> setting = settings.get(field.getKey());
                if (setting == null) {
                    throw new InvalidInputException(where + "." + field.getKey(), "is not a key of section '" + path
                            + "'" + KeyHints.didYouMean(field.getKey(), settings.keySet()) + "; its keys are "
                            + String.join(", ", settings.keySet()));
                }
                value(where + "." + field.getKey(), setting, field.getValue()).ifPresent(v -> given.put(field.getKey(), v));
            }
        }
        for (Setting<?> s : settings.values()) {
            if (s.isRequired() && !given.containsKey(s.name())) {
                throw new InvalidInputException(where + "." + s.name(), "is required");
            }
        }
        return new SectionValues(where, given);
    }

    private static Optional<Object> value(String at, Setting<?> setting, JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (setting.items().isPresent()) {
            if (!node.isArray()) {
                throw new InvalidInputException(at, "must be a list of mappings");
            }
            List<SectionValues> items = new ArrayList<>();
            int i = 0;
            String labelKey = setting.items().get().labelKey();
            for (JsonNode item : node) {
                JsonNode name = item.get(labelKey);
                String label = name != null && name.isTextual() && !name.asText().isBlank() ? name.asText().trim()
                        : String.valueOf(i);
                items.add(setting.items().get().read(at + "[" + label + "]", item));
                i++;
            }
            return Optional.of(List.copyOf(items));
        }
        String text;
        if (node.isArray() && setting.isList()) {
            StringJoiner joined = new StringJoiner(",");
            for (JsonNode item : node) {
                if (!item.isValueNode()) {
                    throw new InvalidInputException(at, "must be a list of plain values");
                }
                joined.add(item.asText());
            }
            text = joined.toString();
        } else if (node.isValueNode()) {
            text = node.asText();
        } else {
            throw new InvalidInputException(at, "must be a single value (" + setting.type() + "), not a "
                    + (node.isArray() ? "list" : "mapping"));
        }
        return text.isBlank() ? Optional.empty() : Optional.of(setting.parse(at, text));
    }

    /**
     * The key whose value names an item of a list in messages ({@code pools[gpu]}): {@code name}, else the first
     * required key ({@code tenant} of a quota).
     */
    String labelKey() {
        if (settings.containsKey("name")) {
            return "name";
        }
        return settings.values().stream().filter(Setting::isRequired).map(Setting::name).findFirst().orElse("name");
    }

    /** A form's check of one key: empty when {@code text} is valid or blank, else the message naming the key. */
    public Optional<String> check(String key, String text) {
        Setting<?> s = setting(key).orElseThrow(() -> new IllegalArgumentException(path + " has no key " + key));
        return s.check(path + "." + key, text);
    }

    /** The documentation table: key, type and rule, default, meaning. */
    public String markdownTable() {
        StringBuilder b = new StringBuilder("| key | type | default | meaning |\n|---|---|---|---|\n");
        for (Setting<?> s : settings.values()) {
            String def = s.isRequired() ? "required" : s.defaultText().map(d -> d.isEmpty() ? "empty" : "`" + d + "`")
                    .orElse("none");
            String doc = switch (s.scope()) {
                case BOTH -> s.doc();
                case CLI -> s.doc() + " (command line only)";
                case JENKINS -> s.doc() + " (Jenkins only)";
            };
            b.append("| `").append(s.name()).append("` | ").append(s.type()).append(" | ").append(def).append(" | ")
                    .append(doc.replace("|", "\\|")).append(" |\n");
        }
        return b.toString();
    }
}
