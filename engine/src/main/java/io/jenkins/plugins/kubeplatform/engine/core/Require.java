package io.jenkins.plugins.kubeplatform.engine.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Input checks that raise {@link InvalidInputException} naming the field and the rule. */
public final class Require {

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Require() {
    }

    public static String nonBlank(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, "is required and must not be blank");
        }
        return value.trim();
    }

    /** A Kubernetes object name that must also be a DNS-1123 label (namespaces, services). */
    public static String dnsLabel(String field, String value) {
        nonBlank(field, value);
        if (value.length() > 63 || !DNS1123_LABEL.matcher(value).matches()) {
            throw new InvalidInputException(field, "must be a DNS-1123 label (lowercase a-z, 0-9 and '-', "
                    + "starting and ending with a letter or digit, at most 63 characters); got '" + printable(value) + "'");
        }
        return value;
    }

    /** A Kubernetes object name that may contain dots (nodes, most resources). */
    public static String dnsSubdomain(String field, String value) {
        nonBlank(field, value);
        if (value.length() > 253 || !DNS1123_SUBDOMAIN.matcher(value).matches()) {
            throw new InvalidInputException(field, "must be a DNS-1123 subdomain (lowercase a-z, 0-9, '-' and '.', "
                    + "at most 253 characters); got '" + printable(value) + "'");
        }
        return value;
    }

    public static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidInputException(field, "must be between " + min + " and " + max + "; got " + value);
        }
        return value;
    }

    /** Parses "30s", "5m", "2h", "1d", "250ms" or ISO-8601 ("PT5M"); must be positive. */
    public static Duration duration(String field, String value) {
        nonBlank(field, value);
        String text = value.trim().toLowerCase(Locale.ROOT);
        Duration parsed;
        var m = SIMPLE_DURATION.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            parsed = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                parsed = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new InvalidInputException(field, "must be a duration such as 30s, 5m, 2h, 1d or PT5M; got '"
                        + printable(value) + "'");
            }
        }
        if (parsed.isNegative() || parsed.isZero()) {
            throw new InvalidInputException(field, "must be a positive duration; got '" + printable(value) + "'");
        }
        return parsed;
    }

    /** Renders control characters visibly so an error message cannot be used to forge log lines. */
    public static String printable(String value) {
        StringBuilder b = new StringBuilder();
        value.codePoints().limit(120).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                b.append(String.format("\\x%02x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return value.codePointCount(0, value.length()) > 120 ? b + "..." : b.toString();
    }
}
