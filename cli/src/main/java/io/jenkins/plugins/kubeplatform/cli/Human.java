package io.jenkins.plugins.kubeplatform.cli;

import java.time.Duration;
import java.time.Instant;

/** How people read times: durations like {@code 30m} or {@code 2h15m}, timestamps in RFC 3339 UTC. */
public final class Human {

    private Human() {
    }

    /**
     * A duration in the largest two units, as kubectl prints ages: {@code 45s}, {@code 3m20s}, {@code 2h15m},
     * {@code 3d4h}; whole units drop the zero part ({@code 30m}, {@code 2h}); below a second: {@code 250ms}.
     */
    public static String duration(Duration d) {
        return io.jenkins.plugins.kubeplatform.engine.core.HumanTime.duration(d);
    }

    /** RFC 3339 in UTC to the second, e.g. {@code 2026-12-06T18:21:54Z}. */
    public static String timestamp(Instant instant) {
        return io.jenkins.plugins.kubeplatform.engine.core.HumanTime.timestamp(instant);
    }
}
