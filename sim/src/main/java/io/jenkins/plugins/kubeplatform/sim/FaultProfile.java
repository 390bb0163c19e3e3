package io.jenkins.plugins.kubeplatform.sim;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Random API faults, as {@code kubeplatform sim serve --faults} takes them: a comma-separated list of
 * {@code KIND:PROBABILITY} with KIND one of {@code 500}, {@code 503}, {@code 429} (answered with that status, 429 and
 * 503 with {@code Retry-After: 1}), {@code reset} (the connection is closed without a complete answer) and
 * {@code drop-watch} (a watch is closed by the server after a random time of up to {@code maxWatchLife}).
 * The status and reset probabilities are drawn once per request and together must not exceed 1.
 */
public record FaultProfile(double p500, double p503, double p429, double reset, double dropWatch) {

    /** Kinds in the order the command line lists them. */
    public static final String KINDS = "500, 503, 429, reset, drop-watch";

    public FaultProfile {
        check("500", p500);
        check("503", p503);
        check("429", p429);
        check("reset", reset);
        check("drop-watch", dropWatch);
        if (p500 + p503 + p429 + reset > 1.0 + 1e-9) {
            throw new IllegalArgumentException("--faults: the probabilities of 500, 503, 429 and reset add up to "
                    + (p500 + p503 + p429 + reset) + "; together they must be at most 1");
        }
    }

    /** No faults. */
    public static FaultProfile none() {
        return new FaultProfile(0, 0, 0, 0, 0);
    }

    /** Parses {@code 503:0.2,429:0.1,reset:0.05,drop-watch:0.3}; each message names the entry and the rule. */
    public static FaultProfile parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("--faults: must list KIND:PROBABILITY entries, e.g. "
                    + "503:0.2,429:0.1,reset:0.05,drop-watch:0.3 (kinds: " + KINDS + ")");
        }
        Map<String, Double> p = new LinkedHashMap<>();
        for (String raw : spec.split(",")) {
            String entry = raw.trim();
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new IllegalArgumentException("--faults: entry '" + entry + "' must be KIND:PROBABILITY, e.g. "
                        + "503:0.2");
            }
            String kind = entry.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (!Map.of("500", 1, "503", 1, "429", 1, "reset", 1, "drop-watch", 1).containsKey(kind)) {
                throw new IllegalArgumentException("--faults: unknown kind '" + kind + "' in '" + entry
                        + "'; kinds are " + KINDS);
            }
            double value;
            try {
                value = Double.parseDouble(entry.substring(colon + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--faults: probability of '" + kind + "' must be a number between 0 "
                        + "and 1; got '" + entry.substring(colon + 1).trim() + "'");
            }
            check(kind, value);
            if (p.put(kind, value) != null) {
                throw new IllegalArgumentException("--faults: kind '" + kind + "' is given twice");
            }
        }
        return new FaultProfile(p.getOrDefault("500", 0.0), p.getOrDefault("503", 0.0), p.getOrDefault("429", 0.0),
                p.getOrDefault("reset", 0.0), p.getOrDefault("drop-watch", 0.0));
    }

    private static void check(String kind, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("--faults: probability of '" + kind + "' must be between 0 and 1; got "
                    + value);
        }
    }

    public boolean isEmpty() {
        return p500 + p503 + p429 + reset + dropWatch == 0;
    }

    @Override
    public String toString() {
        return "500:" + p500 + ",503:" + p503 + ",429:" + p429 + ",reset:" + reset + ",drop-watch:" + dropWatch;
    }
}
