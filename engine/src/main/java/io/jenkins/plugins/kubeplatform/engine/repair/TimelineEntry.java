package io.jenkins.plugins.kubeplatform.engine.repair;

import java.time.Instant;

/** One line of a repair's timeline: when, in which state, what happened. */
public record TimelineEntry(Instant at, String state, String what) {

    @Override
    public String toString() {
        return at + "  " + String.format("%-17s", state) + "  " + what;
    }
}
