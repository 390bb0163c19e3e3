package io.jenkins.plugins.kubeplatform.cli.repair;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.cli.ExitCodes;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import io.jenkins.plugins.kubeplatform.engine.repair.DetectRules;
import io.jenkins.plugins.kubeplatform.engine.repair.NodeRepairer;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairAction;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairRequest;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairResult;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairSettings;
import io.jenkins.plugins.kubeplatform.engine.repair.ScheduledReport;
import io.jenkins.plugins.kubeplatform.engine.repair.TimelineEntry;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubeplatform repair-node}: drain, repair, verify and return a node, or repair the faulty nodes of a pool. */
@Command(name = "repair-node", mixinStandardHelpOptions = true,
        description = {"Take a node out of service safely (lease, cordon + taint, deregister serving pods, wait for "
                + "tasks, evict honouring disruption budgets), run a repair command, verify the node and return it.",
                "With --pool and --detect: find the pool's faulty nodes and repair them within its concurrency limit.",
                "State is recorded on the node: run the same command again (same --owner) to resume after an interrupt."},
        footer = {"", "The repair command runs with 'sh -c' and KUBEPLATFORM_NODE set to the node name; exit 0 means "
                + "repaired. Ctrl-C aborts: the node stays cordoned with state ABORTED recorded."})
public final class RepairNodeCommand implements Callable<Integer> {

    @Option(names = "--node", paramLabel = "NAME", description = "The node to repair.")
    String node;

    @Option(names = "--pool", paramLabel = "NAME", description = "Scheduled mode: the repair pool to check (with --detect).")
    String pool;

    @Option(names = "--detect", description = "Scheduled mode: find faulty nodes of --pool and repair them.")
    boolean detect;

    @Option(names = "--not-ready-for", paramLabel = "DURATION", defaultValue = "5m",
            description = "Detection: Ready not True for at least this long. Default: ${DEFAULT-VALUE}.")
    String notReadyFor;

    @Option(names = "--condition", paramLabel = "TYPE",
            description = "Detection: a node condition that means faulty when True (repeatable; default: repair.faultConditions).")
    List<String> conditions = new ArrayList<>();

    @Option(names = "--taint", paramLabel = "KEY", description = "Detection: a taint key that means faulty (repeatable).")
    List<String> taints = new ArrayList<>();

    @Option(names = {"--exec", "--command"}, paramLabel = "CMD",
            description = "Repair command (default: repair.command from --config).")
    String command;

    @Option(names = "--task-selector", paramLabel = "SELECTOR",
            description = "Pods to wait for like Job pods, e.g. 'role=batch' (default: repair.taskSelector).")
    String taskSelector;

    @Option(names = {"--timeout", "--task-timeout"}, paramLabel = "DURATION",
            description = "How long tasks on the node may run before they are evicted (default: repair.taskTimeout).")
    String taskTimeout;

    @Option(names = "--verify-window", paramLabel = "DURATION",
            description = "How long the node must stay Ready without fault conditions (default: repair.stabilizationWindow).")
    String verifyWindow;

    @Option(names = "--owner", paramLabel = "NAME",
            description = "Who the repair is recorded for; the same owner resumes it (default: cli:USER@HOST).")
    String owner;

    @picocli.CommandLine.Mixin
    io.jenkins.plugins.kubeplatform.cli.DryRunOption dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if ((node == null) == (pool == null)) {
            throw new InvalidInputException("--node", "give either --node NAME or --pool NAME --detect");
        }
        if (pool != null && !detect) {
            throw new InvalidInputException("--detect", "is required with --pool (scheduled mode finds faulty nodes)");
        }
        try (CliContext context = CliContext.of(spec)) {
            RepairSettings settings = RepairSettings.from(context.config()).with(new RepairSettings.Overrides(
                    taskSelector,
                    taskTimeout == null ? null : Require.duration("--timeout", taskTimeout),
                    null,
                    verifyWindow == null ? null : Require.duration("--verify-window", verifyWindow),
                    command));
            if (settings.command().isBlank()) {
                throw new InvalidInputException("--exec", "give the repair command with --exec CMD or configure "
                        + "repair.command in --config");
            }
            String who = owner == null ? defaultOwner() : io.jenkins.plugins.kubeplatform.cli.FreeText.check("--owner", owner);
            RepairAction action = RepairAction.command(settings.command(), settings.repairTimeout());
            NodeRepairer repairer = new NodeRepairer(context.client(), context.retry(), settings, context.clock())
                    // SIP-15: why a pin was released, recorded in the ledger the configuration names
                    .recordingPinReleasesIn(io.jenkins.plugins.kubeplatform.cli.stickyip.IpLedgerCommand.ledger(context));
            if (dryRun.requested()) {
                if (node == null) {
                    throw new InvalidInputException("--dry-run", "plans one node: give --node NAME (with --pool "
                            + "--detect, run 'repair-node --pool P --detect' later; the faulty nodes are found then)");
                }
                java.util.Map<String, Object> subject = new java.util.LinkedHashMap<>();
                subject.put("node", node);
                subject.put("owner", who);
                return io.jenkins.plugins.kubeplatform.cli.DryRunPlan.print(context, dryRun.mode(), subject,
                        "repair-node " + node, repairer.plan(RepairRequest.of(node, who), "sh -c '"
                                + settings.command() + "' with KUBEPLATFORM_NODE=" + node, dryRun.mode()
                                == io.jenkins.plugins.kubeplatform.cli.DryRunOption.Mode.SERVER));
            }
            Thread main = Thread.currentThread();
            Thread onSignal = new Thread(() -> {
                main.interrupt();
                try {
                    main.join(Duration.ofSeconds(20).toMillis());
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }, "repair-abort");
            Runtime.getRuntime().addShutdownHook(onSignal);
            try {
                if (node != null) {
                    RepairResult result = repairer.repair(RepairRequest.of(node, who), action, context.progress());
                    context.result(result.document(), out -> printResult(out, result));
                    return result.outcome().success() ? ExitCodes.OK : ExitCodes.FAILED;
                }
                DetectRules rules = new DetectRules(Require.duration("--not-ready-for", notReadyFor),
                        conditions.isEmpty() ? settings.faultConditions() : conditions, taints);
                ScheduledReport report = repairer.repairFaulty(pool, rules, who, action, context.progress());
                context.result(report, out -> printReport(out, report));
                return report.anyFailed() ? ExitCodes.FAILED : ExitCodes.OK;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(onSignal);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it waits for this thread to finish the abort
                }
            }
        }
    }

    static void printResult(PrintWriter out, RepairResult r) {
        r.timeline().forEach(e -> out.println("  " + timeline(e)));
        out.println(r.outcome() + ": " + r.message());
    }

    static void printReport(PrintWriter out, ScheduledReport report) {
        out.println("pool " + report.pool() + ": " + report.nodesChecked() + " node(s) checked, " + report.nodes().size()
                + " faulty");
        for (ScheduledReport.Entry e : report.nodes()) {
            out.println(e.node() + "  " + e.outcome() + "  (" + String.join(", ", e.faults()) + ")");
            for (TimelineEntry t : e.timeline()) {
                out.println("    " + timeline(t));
            }
            out.println("    " + e.message());
        }
    }

    /** A timeline line with its time in RFC 3339 UTC to the second. */
    static String timeline(TimelineEntry e) {
        return io.jenkins.plugins.kubeplatform.cli.Human.timestamp(e.at()) + "  " + String.format("%-17s", e.state())
                + "  " + e.what();
    }

    private static String defaultOwner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return "cli:" + System.getProperty("user.name", "user") + "@" + host;
    }
}
