package io.jenkins.plugins.kubeplatform.engine.schema;

import java.util.Map;
import java.util.Optional;

/** The parsed values of one section as read by {@link SettingsSection#read}: given ones, else the declared default. */
public final class SectionValues {

    private final String where;
    private final Map<String, Object> given;

    SectionValues(String where, Map<String, Object> given) {
        this.where = where;
        this.given = Map.copyOf(given);
    }

    /** Where the values were read ({@code repair}, {@code repair.pools[gpu]}), for error messages. */
    public String where() {
        return where;
    }

    /** The given value, else the declared default; a key with neither is a bug in the caller. */
    public <T> T get(Setting<T> setting) {
        return given(setting).or(() -> setting.defaultValue(where + "." + setting.name())).orElseThrow(
                () -> new IllegalStateException(where + "." + setting.name() + " has no value and no default"));
    }

    /** The value given in the input, without the default. */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> given(Setting<T> setting) {
        return Optional.ofNullable((T) given.get(setting.name()));
    }
}
