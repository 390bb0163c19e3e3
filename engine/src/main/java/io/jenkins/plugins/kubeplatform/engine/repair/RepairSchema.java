package io.jenkins.plugins.kubeplatform.engine.repair;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.schema.SectionValues;
import io.jenkins.plugins.kubeplatform.engine.schema.Setting;
import io.jenkins.plugins.kubeplatform.engine.schema.SettingsSection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code repair:} section declared once: every key with its type, rule, default and meaning. The CLI loader, the
 * Jenkins form ({@code RepairConfiguration}), {@link RepairSettings#defaults()} and the table in
 * docs/configuration.md are derived from these declarations.
 */
public final class RepairSchema {

    public static final Setting<String> POOL_NAME = Setting.dnsLabel("name", null, 40,
            "Pool name; part of the pool's Lease names, unique among the pools").required();
    public static final Setting<LabelQuery> POOL_NODE_SELECTOR = labelQuery("nodeSelector", "",
            "Label selector of the pool's nodes (`pool=gpu,!spot`); the first pool that selects a node owns it");
    public static final Setting<Integer> POOL_MAX_CONCURRENT = Setting.integer("maxConcurrent", null, 1, 1000,
            "Repairs at once in this pool; when left out, the section's `maxConcurrent`");

    /** The items of {@code repair.pools}. */
    public static final SettingsSection POOL = new SettingsSection("repair.pools[]", List.of(POOL_NAME,
            POOL_NODE_SELECTOR, POOL_MAX_CONCURRENT));

    public static final Setting<List<SectionValues>> POOLS = Setting.items("pools", POOL,
            "Repair pools: the nodes a pool selects share its repair slots; nodes no pool selects form pool `default`");
    public static final Setting<Integer> MAX_CONCURRENT = Setting.integer("maxConcurrent", 1, 1, 1000,
            "Repairs at once in a pool without its own limit, and in pool `default`");
    public static final Setting<String> LEASE_NAMESPACE = Setting.dnsLabel("leaseNamespace", "default", 63,
            "Namespace of the pool slots (Lease objects `kubeplatform-repair-<pool>-<n>`)");
    public static final Setting<Duration> LEASE_TTL = Setting.duration("leaseTtl", "5m",
            "How long a repair slot stays taken without renewal (renewed every third of it)");
    public static final Setting<Duration> LEASE_WAIT_TIMEOUT = Setting.duration("leaseWaitTimeout", "30m",
            "How long a repair waits for a free slot in its pool");
    public static final Setting<String> TRAFFIC_LABEL = Setting.of("trafficLabel", "label key",
            RepairSettings.DEFAULT_TRAFFIC_LABEL,
            "The label Services select besides the app label; removing it takes a pod out of the endpoints",
            (path, text) -> {
                LabelQuery.parse(path, text.trim());
                return text.trim();
            });
    public static final Setting<Duration> DEREGISTRATION_GRACE = Setting.duration("deregistrationGrace", "10s",
            "How long in-flight requests get after serving pods left the endpoints");
    public static final Setting<Duration> DEREGISTRATION_TIMEOUT = Setting.duration("deregistrationTimeout", "2m",
            "How long to wait for endpoints to drop deregistered pods");
    public static final Setting<LabelQuery> TASK_SELECTOR = labelQuery("taskSelector", "",
            "Label selector of pods treated like Job pods (allowed to finish before the drain); Job pods always are");
    public static final Setting<LabelQuery> AGENT_SELECTOR = labelQuery("agentSelector", "jenkins/label",
            "Label selector of Jenkins agent pods (allowed to finish their build)");
    public static final Setting<Duration> TASK_TIMEOUT = Setting.duration("taskTimeout", "30m",
            "How long tasks and agent pods may keep running");
    public static final Setting<TaskTimeoutAction> ON_TASK_TIMEOUT = Setting.choice("onTaskTimeout",
            TaskTimeoutAction.class, TaskTimeoutAction.EVICT,
            "At the task timeout: evict the tasks still running, or fail and leave the node cordoned");
    public static final Setting<Duration> DRAIN_TIMEOUT = Setting.duration("drainTimeout", "15m",
            "How long evictions may be refused by disruption budgets and evicted pods take to go");
    public static final Setting<Duration> REPAIR_TIMEOUT = Setting.duration("repairTimeout", "1h",
            "How long the repair itself may run");
    public static final Setting<Duration> VERIFY_TIMEOUT = Setting.duration("verifyTimeout", "10m",
            "How long the node has to become healthy after the repair");
    public static final Setting<Duration> STABILIZATION_WINDOW = Setting.duration("stabilizationWindow", "1m",
            "How long the node must stay Ready with no fault condition before it is released");
    public static final Setting<List<String>> FAULT_CONDITIONS = Setting.names("faultConditions",
            "KernelDeadlock, ReadonlyFilesystem", "Node conditions that mean faulty when True (node-problem-detector)");
    public static final Setting<Duration> RECHECK_INTERVAL = Setting.duration("recheckInterval", "15s",
            "The longest a waiting repair goes without looking (watches wake it earlier)");
    public static final Setting<String> COMMAND = Setting.text("command", "",
            "Shell command `kubeplatform repair-node` runs for the repair, with `KUBEPLATFORM_NODE` set")
            .only(Setting.Scope.CLI);

    /** The {@code repair:} section. */
    public static final SettingsSection SECTION = new SettingsSection("repair", List.of(POOLS, MAX_CONCURRENT,
            LEASE_NAMESPACE, LEASE_TTL, LEASE_WAIT_TIMEOUT, TRAFFIC_LABEL, DEREGISTRATION_GRACE, DEREGISTRATION_TIMEOUT,
            TASK_SELECTOR, AGENT_SELECTOR, TASK_TIMEOUT, ON_TASK_TIMEOUT, DRAIN_TIMEOUT, REPAIR_TIMEOUT, VERIFY_TIMEOUT,
            STABILIZATION_WINDOW, FAULT_CONDITIONS, RECHECK_INTERVAL, COMMAND));

    private RepairSchema() {
    }

    /** The settings of a {@code repair:} mapping (missing or null: the defaults); a bad value names its key. */
    public static RepairSettings settings(JsonNode section) {
        SectionValues v = SECTION.read(SECTION.path(), section);
        int max = v.get(MAX_CONCURRENT);
        return new RepairSettings.Builder()
                .pools(pools(v.given(POOLS).orElse(List.of()), max))
                .maxConcurrent(max)
                .leaseNamespace(v.get(LEASE_NAMESPACE))
                .leaseTtl(v.get(LEASE_TTL))
                .leaseWaitTimeout(v.get(LEASE_WAIT_TIMEOUT))
                .trafficLabel(v.get(TRAFFIC_LABEL))
                .deregistrationGrace(v.get(DEREGISTRATION_GRACE))
                .deregistrationTimeout(v.get(DEREGISTRATION_TIMEOUT))
                .taskSelector(v.get(TASK_SELECTOR))
                .agentSelector(v.get(AGENT_SELECTOR))
                .taskTimeout(v.get(TASK_TIMEOUT))
                .onTaskTimeout(v.get(ON_TASK_TIMEOUT))
                .drainTimeout(v.get(DRAIN_TIMEOUT))
                .repairTimeout(v.get(REPAIR_TIMEOUT))
                .verifyTimeout(v.get(VERIFY_TIMEOUT))
                .stabilizationWindow(v.get(STABILIZATION_WINDOW))
                .faultConditions(v.get(FAULT_CONDITIONS))
                .recheckInterval(v.get(RECHECK_INTERVAL))
                .command(v.get(COMMAND))
                .build();
    }

    private static List<PoolSettings> pools(List<SectionValues> items, int sectionMax) {
        List<PoolSettings> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (SectionValues p : items) {
            String name = p.get(POOL_NAME);
            if (!names.add(name)) {
                throw new InvalidInputException(p.where() + ".name", "must be unique; '" + name + "' appears twice");
            }
            out.add(new PoolSettings(name, p.get(POOL_NODE_SELECTOR), p.given(POOL_MAX_CONCURRENT).orElse(sectionMax)));
        }
        return List.copyOf(out);
    }

    private static Setting<LabelQuery> labelQuery(String name, String defaultText, String doc) {
        return Setting.of(name, "label selector", defaultText, doc, LabelQuery::parse);
    }
}
