package io.jenkins.plugins.kubeplatform.engine.edgevm;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * EVM-8: compares what the provisioner shows (VM printableStatus) with what the edge cluster shows (Node Ready) and
 * decides one action. A pure function of the record, the observation and the time.
 *
 * <p>Debouncing: statuses are grouped into {@link Condition}s and a timer runs per condition, so a VM flapping
 * between Starting and CrashLoopBackOff keeps one timer, while one healthy observation resets it. Actions reset the
 * timer too, so the next action waits a full timeout again.
 */
public final class SyncDecider {

    /** What one observation means. */
    public enum Condition {
        /** VM Running and its node Ready. */
        HEALTHY,
        /** VM Running, node missing or not Ready. */
        NOT_JOINED,
        /** VM missing, not yet started, starting, or failing to start (crash loop, unschedulable, image errors). */
        NOT_STARTED,
        /** Stopping, paused, migrating...: someone else is acting; wait. */
        TRANSITIONING
    }

    /** Statuses that mean "not up yet" (KubeVirt VirtualMachinePrintableStatus values). */
    static final Set<String> NOT_STARTED_STATUSES = Set.of("Stopped", "Provisioning", "Starting",
            "WaitingForVolumeBinding", "WaitingForReceiver", "CrashLoopBackOff", "ErrorUnschedulable", "ErrImagePull",
            "ImagePullBackOff", "ErrorPvcNotFound", "DataVolumeError", "Unknown");

    /** What the sync saw of one VM. {@code printableStatus} is empty when the VM object does not exist. */
    public record Observation(boolean vmExists, Optional<String> printableStatus, Optional<Boolean> nodeReady,
                              Optional<String> address) {

        public Condition condition() {
            String status = printableStatus.orElse("");
            if (!vmExists || status.isEmpty() || NOT_STARTED_STATUSES.contains(status)) {
                return Condition.NOT_STARTED;
            }
            if (status.equals("Running")) {
                return nodeReady.orElse(false) ? Condition.HEALTHY : Condition.NOT_JOINED;
            }
            return Condition.TRANSITIONING;
        }

        public String describe() {
            if (!vmExists) {
                return "VM missing";
            }
            return "VM " + printableStatus.orElse("(no status yet)") + ", node "
                    + nodeReady.map(r -> r ? "Ready" : "NotReady").orElse("missing");
        }
    }

    /** The one thing to do. */
    public sealed interface Action {
        String reason();
    }

    /** Nothing to do now. */
    public record Wait(String reason) implements Action {
    }

    /** The node joined Ready: record node and address. */
    public record MarkJoined(String reason) implements Action {
    }

    /** Running but never joined (or lost its node) past the join timeout: restart the VM so cloud-init joins again. */
    public record Restart(String reason) implements Action {
    }

    /** Failed to start past the start timeout: delete and recreate the VM (attempt {@code attempt}). */
    public record Recreate(String reason, int attempt) implements Action {
    }

    /** The attempt limit is used up: mark the VM FAILED and stop acting on it. */
    public record GiveUp(String reason) implements Action {
    }

    /** The action and the record to store (with the observed condition and its timer). */
    public record Decision(Action action, VmRecord next) {
    }

    public record Timeouts(Duration start, Duration join, int maxAttempts) {
    }

    private SyncDecider() {
    }

    public static Decision decide(VmRecord record, Observation seen, Instant now, Timeouts timeouts) {
        Condition condition = seen.condition();
        Instant since = Objects.equals(record.observed(), condition.name()) && record.observedSince() != null
                ? record.observedSince() : now;
        VmRecord observed = record.observed(condition.name(), since);
        Duration held = Duration.between(since, now);
        String what = record.vm() + ": " + seen.describe();
        switch (condition) {
            case HEALTHY -> {
                if (record.state() == VmState.RUNNING && record.node() != null && record.attempts() == 0
                        && Objects.equals(record.address(), seen.address().orElse(record.address()))) {
                    return new Decision(new Wait(what), observed);
                }
                return new Decision(new MarkJoined(what + "; joined"), observed.joined(record.vm(),
                        seen.address().orElse(null)));
            }
            case NOT_JOINED -> {
                if (held.compareTo(timeouts.join()) < 0) {
                    return new Decision(new Wait(what + " for " + human(held) + " (join timeout "
                            + human(timeouts.join()) + ")"), observed);
                }
                return new Decision(new Restart(what + " for " + human(held) + ", past the join timeout; restarting "
                        + "the VM so it joins again"), observed.observed(condition.name(), now));
            }
            case NOT_STARTED -> {
                if (record.state() == VmState.FAILED) {
                    return new Decision(new Wait(what + "; gave up after " + record.attempts() + " attempt(s)"),
                            observed);
                }
                if (held.compareTo(timeouts.start()) < 0) {
                    return new Decision(new Wait(what + " for " + human(held) + " (start timeout "
                            + human(timeouts.start()) + ")"), observed);
                }
                if (record.attempts() >= timeouts.maxAttempts()) {
                    return new Decision(new GiveUp(what + " for " + human(held) + "; " + record.attempts()
                            + " recreation(s) did not help (limit " + timeouts.maxAttempts() + "); marking it FAILED"),
                            observed.toBuilder().state(VmState.FAILED).build());
                }
                int attempt = record.attempts() + 1;
                return new Decision(new Recreate(what + " for " + human(held) + ", past the start timeout; deleting "
                        + "and recreating it (attempt " + attempt + " of " + timeouts.maxAttempts() + ")", attempt),
                        observed.toBuilder().attempts(attempt).observed(condition.name()).observedSince(now)
                                .build());
            }
            default -> {
                return new Decision(new Wait(what + "; waiting for the transition to finish"), observed);
            }
        }
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s >= 120 ? (s / 60) + "m" : s + "s";
    }
}
