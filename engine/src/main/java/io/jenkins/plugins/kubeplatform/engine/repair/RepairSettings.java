package io.jenkins.plugins.kubeplatform.engine.repair;

import io.jenkins.plugins.kubeplatform.engine.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code repair:} section of the platform configuration (Jenkins global configuration or the CLI's --config):
 * pools, concurrency, lease, timeouts, fault conditions and how pods are recognised. Its keys, defaults and rules are
 * declared once in {@link RepairSchema}; build it with {@link #builder()}.
 */
public record RepairSettings(
        List<PoolSettings> pools,
        int maxConcurrent,
        String leaseNamespace,
        Duration leaseTtl,
        Duration leaseWaitTimeout,
        String trafficLabel,
        Duration deregistrationGrace,
        Duration deregistrationTimeout,
        LabelQuery taskSelector,
        LabelQuery agentSelector,
        Duration taskTimeout,
        TaskTimeoutAction onTaskTimeout,
        Duration drainTimeout,
        Duration repairTimeout,
        Duration verifyTimeout,
        Duration stabilizationWindow,
        List<String> faultConditions,
        Duration recheckInterval,
        Duration evictionBackoff,
        Duration maxEvictionBackoff,
        String command) {

    public static final String TAINT_KEY = "kubeplatform.jenkins.io/maintenance";
    public static final String DEFAULT_TRAFFIC_LABEL = io.jenkins.plugins.kubeplatform.engine.kube.SharedObjects.TRAFFIC_LABEL;

    /** Pause between refused evictions of one pod at first, and at most; internal, not configuration. */
    static final Duration EVICTION_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_EVICTION_BACKOFF = Duration.ofSeconds(30);

    public RepairSettings {
        pools = List.copyOf(pools);
        faultConditions = List.copyOf(faultConditions);
        Require.range("repair.maxConcurrent", maxConcurrent, 1, 1000);
        Objects.requireNonNull(leaseNamespace, "leaseNamespace");
        Objects.requireNonNull(trafficLabel, "trafficLabel");
        Objects.requireNonNull(taskSelector, "taskSelector");
        Objects.requireNonNull(agentSelector, "agentSelector");
        Objects.requireNonNull(onTaskTimeout, "onTaskTimeout");
        Objects.requireNonNull(command, "command");
        for (Duration d : List.of(leaseTtl, leaseWaitTimeout, deregistrationGrace, deregistrationTimeout, taskTimeout,
                drainTimeout, repairTimeout, verifyTimeout, stabilizationWindow, recheckInterval, evictionBackoff,
                maxEvictionBackoff)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("repair durations must be positive; got " + d);
            }
        }
    }

    /** The declared defaults of every key ({@link RepairSchema}). */
    public static RepairSettings defaults() {
        return RepairSchema.settings(null);
    }

    /** Reads the {@code repair:} section of the configuration file (defaults when it is absent). */
    public static RepairSettings from(PlatformConfig config) {
        return RepairSchema.settings(config.raw("repair"));
    }

    /** A builder starting from the declared defaults. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The pool a node belongs to: the first configured pool whose selector matches, else the fallback pool. */
    public PoolSettings poolOf(Map<String, String> nodeLabels) {
        return pools.stream().filter(p -> p.nodeSelector().matches(nodeLabels)).findFirst()
                .orElse(PoolSettings.fallback(maxConcurrent));
    }

    public Optional<PoolSettings> pool(String name) {
        if ("default".equals(name)) {
            return Optional.of(pools.stream().filter(p -> p.name().equals(name)).findFirst()
                    .orElse(PoolSettings.fallback(maxConcurrent)));
        }
        return pools.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The longest the driver may look away: short enough to renew the lease well before it expires. */
    public Duration maxWait() {
        Duration renew = leaseTtl.dividedBy(3);
        return renew.compareTo(recheckInterval) < 0 ? renew : recheckInterval;
    }

    /** Settings with a few fields replaced; used by steps and the CLI for per-run overrides. */
    public RepairSettings with(Overrides o) {
        Builder b = toBuilder();
        if (o.taskSelector() != null) {
            b.taskSelector(LabelQuery.parse("taskSelector", o.taskSelector()));
        }
        if (o.taskTimeout() != null) {
            b.taskTimeout(o.taskTimeout());
        }
        if (o.verifyTimeout() != null) {
            b.verifyTimeout(o.verifyTimeout());
        }
        if (o.stabilizationWindow() != null) {
            b.stabilizationWindow(o.stabilizationWindow());
        }
        if (o.command() != null) {
            b.command(o.command());
        }
        return b.build();
    }

    /** Per-run overrides; null keeps the configured value. */
    public record Overrides(String taskSelector, Duration taskTimeout, Duration verifyTimeout,
                            Duration stabilizationWindow, String command) {
        public static Overrides none() {
            return new Overrides(null, null, null, null, null);
        }
    }

    /** Builds settings key by key; {@link #build()} checks them. */
    public static final class Builder {
        private List<PoolSettings> pools;
        private int maxConcurrent;
        private String leaseNamespace;
        private Duration leaseTtl;
        private Duration leaseWaitTimeout;
        private String trafficLabel;
        private Duration deregistrationGrace;
        private Duration deregistrationTimeout;
        private LabelQuery taskSelector;
        private LabelQuery agentSelector;
        private Duration taskTimeout;
        private TaskTimeoutAction onTaskTimeout;
        private Duration drainTimeout;
        private Duration repairTimeout;
        private Duration verifyTimeout;
        private Duration stabilizationWindow;
        private List<String> faultConditions;
        private Duration recheckInterval;
        private Duration evictionBackoff;
        private Duration maxEvictionBackoff;
        private String command;

        /** Only the internal keys set: {@link RepairSchema} sets every declared one. */
        Builder() {
            evictionBackoff = EVICTION_BACKOFF;
            maxEvictionBackoff = MAX_EVICTION_BACKOFF;
        }

        private Builder(RepairSettings from) {
            pools = from.pools;
            maxConcurrent = from.maxConcurrent;
            leaseNamespace = from.leaseNamespace;
            leaseTtl = from.leaseTtl;
            leaseWaitTimeout = from.leaseWaitTimeout;
            trafficLabel = from.trafficLabel;
            deregistrationGrace = from.deregistrationGrace;
            deregistrationTimeout = from.deregistrationTimeout;
            taskSelector = from.taskSelector;
            agentSelector = from.agentSelector;
            taskTimeout = from.taskTimeout;
            onTaskTimeout = from.onTaskTimeout;
            drainTimeout = from.drainTimeout;
            repairTimeout = from.repairTimeout;
            verifyTimeout = from.verifyTimeout;
            stabilizationWindow = from.stabilizationWindow;
            faultConditions = from.faultConditions;
            recheckInterval = from.recheckInterval;
            evictionBackoff = from.evictionBackoff;
            maxEvictionBackoff = from.maxEvictionBackoff;
            command = from.command;
        }

        public Builder pools(List<PoolSettings> pools) {
            this.pools = pools;
            return this;
        }

        public Builder maxConcurrent(int maxConcurrent) {
            this.maxConcurrent = maxConcurrent;
            return this;
        }

        public Builder leaseNamespace(String leaseNamespace) {
            this.leaseNamespace = leaseNamespace;
            return this;
        }

        public Builder leaseTtl(Duration leaseTtl) {
            this.leaseTtl = leaseTtl;
            return this;
        }

        public Builder leaseWaitTimeout(Duration leaseWaitTimeout) {
            this.leaseWaitTimeout = leaseWaitTimeout;
            return this;
        }

        public Builder trafficLabel(String trafficLabel) {
            this.trafficLabel = trafficLabel;
            return this;
        }

        public Builder deregistrationGrace(Duration deregistrationGrace) {
            this.deregistrationGrace = deregistrationGrace;
            return this;
        }

        public Builder deregistrationTimeout(Duration deregistrationTimeout) {
            this.deregistrationTimeout = deregistrationTimeout;
            return this;
        }

        public Builder taskSelector(LabelQuery taskSelector) {
            this.taskSelector = taskSelector;
            return this;
        }

        public Builder agentSelector(LabelQuery agentSelector) {
            this.agentSelector = agentSelector;
            return this;
        }

        public Builder taskTimeout(Duration taskTimeout) {
            this.taskTimeout = taskTimeout;
            return this;
        }

        public Builder onTaskTimeout(TaskTimeoutAction onTaskTimeout) {
            this.onTaskTimeout = onTaskTimeout;
            return this;
        }

        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
            return this;
        }

        public Builder repairTimeout(Duration repairTimeout) {
            this.repairTimeout = repairTimeout;
            return this;
        }

        public Builder verifyTimeout(Duration verifyTimeout) {
            this.verifyTimeout = verifyTimeout;
            return this;
        }

        public Builder stabilizationWindow(Duration stabilizationWindow) {
            this.stabilizationWindow = stabilizationWindow;
            return this;
        }

        public Builder faultConditions(List<String> faultConditions) {
            this.faultConditions = faultConditions;
            return this;
        }

        public Builder recheckInterval(Duration recheckInterval) {
            this.recheckInterval = recheckInterval;
            return this;
        }

        public Builder evictionBackoff(Duration evictionBackoff) {
            this.evictionBackoff = evictionBackoff;
            return this;
        }

        public Builder maxEvictionBackoff(Duration maxEvictionBackoff) {
            this.maxEvictionBackoff = maxEvictionBackoff;
            return this;
        }

        public Builder command(String command) {
            this.command = command;
            return this;
        }

        public RepairSettings build() {
            return new RepairSettings(pools, maxConcurrent, leaseNamespace, leaseTtl, leaseWaitTimeout, trafficLabel,
                    deregistrationGrace, deregistrationTimeout, taskSelector, agentSelector, taskTimeout, onTaskTimeout,
                    drainTimeout, repairTimeout, verifyTimeout, stabilizationWindow, faultConditions, recheckInterval,
                    evictionBackoff, maxEvictionBackoff, command);
        }
    }
}
