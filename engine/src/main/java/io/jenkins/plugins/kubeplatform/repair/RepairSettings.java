package io.jenkins.plugins.kubeplatform.repair;

import io.jenkins.plugins.kubeplatform.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.core.Require;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code repair:} section of the platform configuration (Jenkins global configuration or the CLI's --config):
 * pools, concurrency, lease, timeouts, fault conditions and how pods are recognised.
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
    public static final String DEFAULT_TRAFFIC_LABEL = io.jenkins.plugins.kubeplatform.kube.SharedObjects.TRAFFIC_LABEL;

    public static RepairSettings defaults() {
        return new RepairSettings(List.of(), 1, "default", Duration.ofMinutes(5), Duration.ofMinutes(30),
                DEFAULT_TRAFFIC_LABEL, Duration.ofSeconds(10), Duration.ofMinutes(2), LabelQuery.ALL,
                LabelQuery.parse("agentSelector", "jenkins/label"), Duration.ofMinutes(30), TaskTimeoutAction.EVICT,
                Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofMinutes(1),
                List.of("KernelDeadlock", "ReadonlyFilesystem"), Duration.ofSeconds(15), Duration.ofSeconds(1),
                Duration.ofSeconds(30), "");
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
        return new RepairSettings(pools, maxConcurrent, leaseNamespace, leaseTtl, leaseWaitTimeout, trafficLabel,
                deregistrationGrace, deregistrationTimeout,
                o.taskSelector() == null ? taskSelector : LabelQuery.parse("taskSelector", o.taskSelector()),
                agentSelector,
                o.taskTimeout() == null ? taskTimeout : o.taskTimeout(),
                onTaskTimeout, drainTimeout, repairTimeout,
                o.verifyTimeout() == null ? verifyTimeout : o.verifyTimeout(),
                o.stabilizationWindow() == null ? stabilizationWindow : o.stabilizationWindow(),
                faultConditions, recheckInterval, evictionBackoff, maxEvictionBackoff,
                o.command() == null ? command : o.command());
    }

    /** Per-run overrides; null keeps the configured value. */
    public record Overrides(String taskSelector, Duration taskTimeout, Duration verifyTimeout,
                            Duration stabilizationWindow, String command) {
        public static Overrides none() {
            return new Overrides(null, null, null, null, null);
        }
    }

    /** The YAML shape of the {@code repair:} section: every field optional, durations as text ("30s", "5m"). */
    public record Section(
            List<PoolSection> pools,
            Integer maxConcurrent,
            String leaseNamespace,
            String leaseTtl,
            String leaseWaitTimeout,
            String trafficLabel,
            String deregistrationGrace,
            String deregistrationTimeout,
            String taskSelector,
            String agentSelector,
            String taskTimeout,
            String onTaskTimeout,
            String drainTimeout,
            String repairTimeout,
            String verifyTimeout,
            String stabilizationWindow,
            List<String> faultConditions,
            String recheckInterval,
            String command) {

        /** One pool in YAML. */
        public record PoolSection(String name, String nodeSelector, Integer maxConcurrent) {
        }

        public RepairSettings toSettings() {
            RepairSettings d = defaults();
            int max = maxConcurrent == null ? d.maxConcurrent() : Require.range("repair.maxConcurrent", maxConcurrent, 1, 1000);
            List<PoolSettings> parsedPools = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (PoolSection p : pools == null ? List.<PoolSection>of() : pools) {
                String name = Require.dnsLabel("repair.pools[].name", p.name());
                if (name.length() > 40) {
                    throw new InvalidInputException("repair.pools[].name", "must be at most 40 characters (it is part "
                            + "of the lease names); got '" + name + "'");
                }
                if (!names.add(name)) {
                    throw new InvalidInputException("repair.pools[].name", "must be unique; '" + name + "' appears twice");
                }
                parsedPools.add(new PoolSettings(name,
                        LabelQuery.parse("repair.pools[" + name + "].nodeSelector", p.nodeSelector()),
                        p.maxConcurrent() == null ? max
                                : Require.range("repair.pools[" + name + "].maxConcurrent", p.maxConcurrent(), 1, 1000)));
            }
            TaskTimeoutAction onTimeout = d.onTaskTimeout();
            if (onTaskTimeout != null && !onTaskTimeout.isBlank()) {
                try {
                    onTimeout = TaskTimeoutAction.valueOf(onTaskTimeout.trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("repair.onTaskTimeout", "must be 'evict' or 'fail'; got '"
                            + Require.printable(onTaskTimeout) + "'");
                }
            }
            String traffic = trafficLabel == null || trafficLabel.isBlank() ? d.trafficLabel() : trafficLabel.trim();
            LabelQuery.parse("repair.trafficLabel", traffic);
            return new RepairSettings(List.copyOf(parsedPools), max,
                    leaseNamespace == null || leaseNamespace.isBlank() ? d.leaseNamespace()
                            : Require.dnsLabel("repair.leaseNamespace", leaseNamespace),
                    dur("repair.leaseTtl", leaseTtl, d.leaseTtl()),
                    dur("repair.leaseWaitTimeout", leaseWaitTimeout, d.leaseWaitTimeout()),
                    traffic,
                    dur("repair.deregistrationGrace", deregistrationGrace, d.deregistrationGrace()),
                    dur("repair.deregistrationTimeout", deregistrationTimeout, d.deregistrationTimeout()),
                    taskSelector == null ? d.taskSelector() : LabelQuery.parse("repair.taskSelector", taskSelector),
                    agentSelector == null ? d.agentSelector() : LabelQuery.parse("repair.agentSelector", agentSelector),
                    dur("repair.taskTimeout", taskTimeout, d.taskTimeout()),
                    onTimeout,
                    dur("repair.drainTimeout", drainTimeout, d.drainTimeout()),
                    dur("repair.repairTimeout", repairTimeout, d.repairTimeout()),
                    dur("repair.verifyTimeout", verifyTimeout, d.verifyTimeout()),
                    dur("repair.stabilizationWindow", stabilizationWindow, d.stabilizationWindow()),
                    faultConditions == null ? d.faultConditions() : List.copyOf(faultConditions),
                    dur("repair.recheckInterval", recheckInterval, d.recheckInterval()),
                    d.evictionBackoff(), d.maxEvictionBackoff(),
                    command == null ? "" : command.trim());
        }

        private static Duration dur(String field, String text, Duration fallback) {
            return text == null || text.isBlank() ? fallback : Require.duration(field, text);
        }
    }

    /** Reads the {@code repair:} section of the configuration file (defaults when it is absent). */
    public static RepairSettings from(PlatformConfig config) {
        return config.section("repair", Section.class).map(Section::toSettings).orElseGet(RepairSettings::defaults);
    }
}
