package io.jenkins.plugins.kubeplatform.sim.controllers;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code PT5S} or Go-style {@code 1m30s}, {@code 500ms}, {@code 5s}. */
public final class Durations {

    private static final Pattern GO = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private Durations() {
    }

    public static Optional<Duration> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String t = text.trim();
        try {
            return Optional.of(Duration.parse(t));
        } catch (RuntimeException e) {
            // not ISO-8601; try the Go form
        }
        Matcher m = GO.matcher(t);
        long nanos = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return Optional.empty();
            }
            double v = Double.parseDouble(m.group(1));
            long unit = switch (m.group(2)) {
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos += (long) (v * unit);
            end = m.end();
        }
        return end == t.length() && end > 0 ? Optional.of(Duration.ofNanos(nanos)) : Optional.empty();
    }
}
