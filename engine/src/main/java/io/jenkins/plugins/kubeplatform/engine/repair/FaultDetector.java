package io.jenkins.plugins.kubeplatform.engine.repair;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Scheduled mode's detection: which nodes of a pool are faulty, and which of those a run must leave alone. */
public final class FaultDetector {

    /** A faulty node; {@code skip} says why this run does not repair it (empty: repair it). */
    public record Finding(String node, List<String> faults, Optional<String> skip) {
    }

    private FaultDetector() {
    }

    public static List<Finding> detect(List<NodeView> nodes, DetectRules rules, Instant now) {
        List<Finding> findings = new ArrayList<>();
        for (NodeView n : nodes) {
            List<String> faults = faults(n, rules, now);
            if (faults.isEmpty()) {
                continue;
            }
            Optional<String> skip = n.recordError().map(e -> "maintenance annotation cannot be read: " + e)
                    .or(() -> n.record().map(r -> r.state().isStopped()
                            ? "left " + r.state() + " by " + r.owner() + " (" + r.reason() + "); needs attention or an "
                                    + "explicit repair-node run"
                            : "in maintenance by " + r.owner() + " (state " + r.state() + ")"));
            findings.add(new Finding(n.name(), List.copyOf(faults), skip));
        }
        return findings;
    }

    static List<String> faults(NodeView n, DetectRules rules, Instant now) {
        List<String> faults = new ArrayList<>();
        Optional<NodeView.Condition> ready = n.condition("Ready");
        if (ready.isEmpty() || !"True".equals(ready.get().status())) {
            Optional<Instant> since = ready.flatMap(NodeView.Condition::lastTransition);
            Duration notReady = since.map(s -> Duration.between(s, now)).orElse(rules.notReadyFor());
            if (notReady.compareTo(rules.notReadyFor()) >= 0) {
                faults.add("Ready=" + ready.map(NodeView.Condition::status).orElse("missing")
                        + since.map(s -> " since " + s).orElse(""));
            }
        }
        for (String type : rules.conditions()) {
            n.condition(type).filter(c -> "True".equals(c.status()))
                    .ifPresent(c -> faults.add(type + "=True" + (c.reason().isEmpty() ? "" : " (" + c.reason() + ")")));
        }
        for (String taint : rules.taints()) {
            if (n.taintKeys().contains(taint)) {
                faults.add("taint " + taint);
            }
        }
        return faults;
    }
}
