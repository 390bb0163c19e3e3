package io.jenkins.plugins.kubeplatform.engine.core;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** How people read times: durations like {@code 30m} or {@code 2h15m}, timestamps in RFC 3339 UTC. */
public final class HumanTime {

    private HumanTime() {
    }

    /**
     * A duration in the largest two units, as kubectl prints ages: {@code 45s}, {@code 3m20s}, {@code 2h15m},
     * {@code 3d4h}; whole units drop the zero part ({@code 30m}, {@code 2h}); below a second: {@code 250ms}.
     */
    public static String duration(Duration d) {
        if (d == null) {
            return "-";
        }
        if (d.isNegative()) {
            return "-" + duration(d.negated());
        }
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        long seconds = d.getSeconds();
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3600;
        long minutes = seconds % 3600 / 60;
        long secs = seconds % 60;
        if (days > 0) {
            return days + "d" + (hours > 0 ? hours + "h" : "");
        }
        if (hours > 0) {
            return hours + "h" + (minutes > 0 ? minutes + "m" : "");
        }
        if (minutes > 0) {
            return minutes + "m" + (secs > 0 ? secs + "s" : "");
        }
        return secs + "s";
    }

    /** RFC 3339 in UTC to the second, e.g. {@code 2026-12-06T18:21:54Z}. */
    public static String timestamp(Instant instant) {
        return instant == null ? "-" : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
