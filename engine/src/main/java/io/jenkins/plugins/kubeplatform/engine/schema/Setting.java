package io.jenkins.plugins.kubeplatform.engine.schema;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One key of a configuration section, declared once: its name, type and rule, default, where it applies and one line
 * of documentation. The CLI's loader, the Jenkins form checks, the engine's defaults and the documentation tables all
 * read it from here.
 *
 * @param <T> the engine type a value becomes
 */
public final class Setting<T> {

    /** Which side reads the key (both accept it, so one file serves both). */
    public enum Scope { BOTH, JENKINS, CLI }

    /** Turns the text of a value into the engine type, or throws an input error naming {@code path} and the rule. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String path, String text);
    }

    private final String name;
    private final String type;
    private final String defaultText;
    private final String doc;
    private final Scope scope;
    private final boolean required;
    private final boolean list;
    private final Parser<T> parser;
    private final SettingsSection items;

    private Setting(String name, String type, String defaultText, String doc, Scope scope, boolean required,
                    boolean list, Parser<T> parser, SettingsSection items) {
        this.name = Objects.requireNonNull(name);
        this.type = Objects.requireNonNull(type);
        this.defaultText = defaultText;
        this.doc = Objects.requireNonNull(doc);
        this.scope = scope;
        this.required = required;
        this.list = list;
        this.parser = parser;
        this.items = items;
    }

    /** A key with its own rule: {@code type} says it in words for the documentation. */
    public static <T> Setting<T> of(String name, String type, String defaultText, String doc, Parser<T> parser) {
        return new Setting<>(name, type, defaultText, doc, Scope.BOTH, false, false, parser, null);
    }

    /** A positive duration: {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 250ms} or ISO-8601. */
    public static Setting<Duration> duration(String name, String defaultText, String doc) {
        return of(name, "duration", defaultText, doc, Require::duration);
    }

    /** A whole number between {@code min} and {@code max}. */
    public static Setting<Integer> integer(String name, Integer defaultValue, int min, int max, String doc) {
        return of(name, "integer " + min + " to " + max, defaultValue == null ? null : defaultValue.toString(), doc,
                (path, text) -> {
                    try {
                        return Require.range(path, Integer.parseInt(text.trim()), min, max);
                    } catch (NumberFormatException e) {
                        throw new InvalidInputException(path, "must be a whole number between " + min + " and " + max
                                + "; got '" + Require.printable(text) + "'");
                    }
                });
    }

    /** Free text, trimmed. */
    public static Setting<String> text(String name, String defaultText, String doc) {
        return of(name, "text", defaultText, doc, (path, text) -> text.trim());
    }

    /** A DNS-1123 label of at most {@code maxLength} characters. */
    public static Setting<String> dnsLabel(String name, String defaultText, int maxLength, String doc) {
        return of(name, "DNS label, at most " + maxLength + " characters", defaultText, doc, (path, text) -> {
            String label = Require.dnsLabel(path, text.trim());
            if (label.length() > maxLength) {
                throw new InvalidInputException(path, "must be at most " + maxLength + " characters; got '" + label
                        + "'");
            }
            return label;
        });
    }

    /** One of an enum's constants, written in lower case. */
    public static <E extends Enum<E>> Setting<E> choice(String name, Class<E> type, E defaultValue, String doc) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        String words = String.join(" or ", names.stream().map(n -> "`" + n + "`").toList());
        return of(name, words, defaultValue == null ? null : defaultValue.name().toLowerCase(Locale.ROOT), doc,
                (path, text) -> {
                    for (E e : type.getEnumConstants()) {
                        if (e.name().equalsIgnoreCase(text.trim())) {
                            return e;
                        }
                    }
                    throw new InvalidInputException(path, "must be " + String.join(" or ", names.stream()
                            .map(n -> "'" + n + "'").toList()) + "; got '" + Require.printable(text) + "'");
                });
    }

    /** A list of plain values: comma-separated text (the Jenkins form) or a YAML list. */
    public static Setting<List<String>> names(String name, String defaultText, String doc) {
        return new Setting<>(name, "comma-separated list", defaultText, doc, Scope.BOTH, false, true,
                (path, text) -> Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isBlank()).toList(), null);
    }

    /** A list of plain values, each of which must pass {@code item} (given the list's path). */
    public static Setting<List<String>> names(String name, String itemType, String defaultText, String doc,
                                              Parser<String> item) {
        return new Setting<>(name, "comma-separated list of " + itemType, defaultText, doc, Scope.BOTH, false, true,
                (path, text) -> Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isBlank())
                        .map(s -> item.parse(path, s)).toList(), null);
    }

    /** {@code true} or {@code false}. */
    public static Setting<Boolean> flag(String name, boolean defaultValue, String doc) {
        return of(name, "`true` or `false`", String.valueOf(defaultValue), doc, (path, text) -> {
            String t = text.trim();
            if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(t);
            }
            throw new InvalidInputException(path, "must be true or false; got '" + Require.printable(text) + "'");
        });
    }

    /** A YAML list of mappings, each read with {@code itemSection}. */
    public static Setting<List<SectionValues>> items(String name, SettingsSection itemSection, String doc) {
        return new Setting<>(name, "list of mappings (keys below)", null, doc, Scope.BOTH, false, true, null,
                itemSection);
    }

    /** The same key, read by one side only. */
    public Setting<T> only(Scope side) {
        return new Setting<>(name, type, defaultText, doc, side, required, list, parser, items);
    }

    /** The same key, which must be given. */
    public Setting<T> required() {
        return new Setting<>(name, type, defaultText, doc, scope, true, list, parser, items);
    }

    public String name() {
        return name;
    }

    public String type() {
        return type;
    }

    /** The default as written in a file; empty when the key has none (the engine decides, or it is required). */
    public Optional<String> defaultText() {
        return Optional.ofNullable(defaultText);
    }

    public String doc() {
        return doc;
    }

    public Scope scope() {
        return scope;
    }

    public boolean isRequired() {
        return required;
    }

    /** Whether a YAML list is accepted. */
    public boolean isList() {
        return list;
    }

    /** The section of each item, for a list of mappings. */
    public Optional<SettingsSection> items() {
        return Optional.ofNullable(items);
    }

    /** The value of {@code text} (never blank) at {@code path}, or an input error naming the path and the rule. */
    public T parse(String path, String text) {
        if (parser == null) {
            throw new InvalidInputException(path, "must be a list of mappings");
        }
        return parser.parse(path, text);
    }

    /** The default at {@code path}, parsed; empty when there is none. */
    public Optional<T> defaultValue(String path) {
        return defaultText == null ? Optional.empty() : Optional.of(parse(path, defaultText));
    }

    /** What a form shows for {@code text}: empty when it is valid or blank (blank means the default). */
    public Optional<String> check(String path, String text) {
        if (text == null || text.isBlank()) {
            return required ? Optional.of(path + ": is required") : Optional.empty();
        }
        try {
            parse(path, text);
            return Optional.empty();
        } catch (InvalidInputException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
