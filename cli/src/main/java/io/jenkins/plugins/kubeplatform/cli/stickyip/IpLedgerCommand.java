package io.jenkins.plugins.kubeplatform.cli.stickyip;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.cli.Human;
import io.jenkins.plugins.kubeplatform.cli.Table;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger;
import io.jenkins.plugins.kubeplatform.engine.stickyip.JournaledLedgerStore;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerOverview;
import io.jenkins.plugins.kubeplatform.engine.stickyip.PodAdopter;
import io.jenkins.plugins.kubeplatform.engine.stickyip.Reservation;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ReservationCollector;
import io.jenkins.plugins.kubeplatform.engine.stickyip.StickyIpConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code kubeplatform ip-ledger}: inspect and maintain the reservation ledger. */
@Command(name = "ip-ledger", mixinStandardHelpOptions = true,
        description = "Inspect and maintain the IP reservation ledger in --state-dir.",
        subcommands = {IpLedgerCommand.ListCommand.class, IpLedgerCommand.ReleaseCommand.class,
                IpLedgerCommand.GcCommand.class, IpLedgerCommand.SyncCommand.class, IpLedgerCommand.VerifyCommand.class,
                IpLedgerCommand.RestoreCommand.class, IpLedgerCommand.MigrateCommand.class})
public final class IpLedgerCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: list, release, gc, sync, verify or restore");
    }

    /** The ledger the configuration names ({@code stickyIp.ledgerStore}): the state directory's, or the cluster's. */
    public static IpReservationLedger ledger(CliContext context) {
        return context.ledger();
    }

    static Map<String, Object> json(Reservation r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("identity", r.identity());
        m.put("pool", r.pool());
        m.put("ip", r.ip());
        m.put("kind", r.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("state", r.state().name().toLowerCase(java.util.Locale.ROOT));
        m.put("node", r.node());
        m.put("idleSince", r.idleSince() == null ? null : Human.timestamp(r.idleSince()));
        m.put("owner", r.owner());
        m.put("created", Human.timestamp(r.created()));
        m.put("pinRelease", r.lastPinRelease().map(p -> {
            Map<String, Object> pin = new LinkedHashMap<>();
            pin.put("at", Human.timestamp(p.at()));
            pin.put("node", p.node());
            pin.put("reason", p.reason());
            return pin;
        }).orElse(null));
        return m;
    }

    /** {@code ip-ledger list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List reservations and pool usage (all namespaces unless -n is given).")
    static final class ListCommand implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--pool", description = "Only this pool.")
        String pool;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (CliContext context = CliContext.of(spec)) {
                Map<String, IpPool> pools = StickyIpConfig.pools(context.config());
                LedgerOverview overview = LedgerOverview.of(ledger(context), pools,
                        new LedgerOverview.Filter(Optional.ofNullable(pool), context.explicitNamespace(), Optional.empty()));
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("reservations", overview.reservations().stream().map(IpLedgerCommand::json).toList());
                result.put("pools", overview.pools().stream().map(p -> Map.of("name", p.name(), "size", p.size(),
                        "reserved", p.reserved(), "free", p.free())).toList());
                Table table = Table.of("IDENTITY", "IP", "POOL", "STATE", "NODE", "IDLE", "PIN RELEASED")
                        .wide("OWNER", "CREATED", "PIN RELEASE REASON");
                java.time.Instant now = java.time.Instant.now();
                for (Reservation r : overview.reservations()) {
                    table.row(r.identity(), r.ip(), r.pool(), r.state().name().toLowerCase(java.util.Locale.ROOT),
                            r.node(), r.isIdle() && r.idleSince() != null
                                    ? Human.duration(java.time.Duration.between(r.idleSince(), now)) : null,
                            r.lastPinRelease().map(p -> Human.duration(java.time.Duration.between(p.at(), now))
                                    + " ago from " + p.node()).orElse(null),
                            r.owner(), Human.timestamp(r.created()), r.lastPinRelease().map(
                                    Reservation.PinRelease::reason).orElse(null));
                }
                Table poolTable = Table.of("POOL", "SIZE", "RESERVED", "FREE");
                overview.pools().forEach(p -> poolTable.row(p.name(), p.size(), p.reserved(), p.free()));
                context.result(result, out -> {
                    boolean wide = context.output() == io.jenkins.plugins.kubeplatform.cli.OutputFormat.WIDE;
                    table.print(out, wide, !context.noHeaders());
                    out.println();
                    poolTable.print(out, wide, !context.noHeaders());
                });
                return 0;
            }
        }
    }

    /** {@code ip-ledger release}. */
    @Command(name = "release", mixinStandardHelpOptions = true,
            description = "Release one reservation (only if it still holds the given address).")
    static final class ReleaseCommand implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--identity", required = true, description = "Identity, e.g. shop/web-2 or adopted:ns/pod.")
        String identity;

        @Option(names = "--ip", description = "Release only if the identity still holds this address.")
        String ip;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (CliContext context = CliContext.of(spec)) {
                IpReservationLedger ledger = ledger(context);
                Reservation current = ledger.get(identity).orElseThrow(() -> new InvalidInputException("--identity",
                        "names no reservation; see ip-ledger list"));
                if (ip != null && !ip.equals(current.ip())) {
                    throw new InvalidInputException("--ip", identity + " holds " + current.ip() + ", not " + ip
                            + "; nothing was released");
                }
                if (!ledger.release(current)) {
                    throw new OperationFailedException(identity + " changed while being released; run the command again");
                }
                context.progress().step("released " + current.ip() + " of " + identity);
                context.result(Map.of("released", json(current)), out -> out.println("Released " + current.ip()
                        + " of " + identity));
                return 0;
            }
        }
    }

    /** {@code ip-ledger migrate}. */
    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = "Copy the file ledger of --state-dir into the cluster ledger the configuration names "
                    + "(stickyIp.ledgerStore: cluster). Refuses, writing nothing, when the cluster ledger gives an "
                    + "identity or an address to someone else; re-running it is harmless. The file is left unchanged.")
    static final class MigrateCommand implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (CliContext context = CliContext.of(spec)) {
                io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerSettings settings =
                        io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerSettings.of(context.config());
                if (settings.store() != io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerSettings.Store.CLUSTER) {
                    throw new InvalidInputException("stickyIp.ledgerStore", "must be cluster to migrate the file "
                            + "ledger into the cluster; it is " + settings.store().name().toLowerCase(java.util.Locale.ROOT));
                }
                List<Reservation> fromFile = IpReservationLedger.open(context.stateDir(), context.clock()).list();
                IpReservationLedger target = ledger(context);
                int copied = target.store().update(view -> {
                    List<String> conflicts = new java.util.ArrayList<>();
                    List<io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerChange> puts = new java.util.ArrayList<>();
                    for (Reservation r : fromFile) {
                        Optional<Reservation> same = view.get(r.identity());
                        Optional<Reservation> holder = view.holderOf(r.ip());
                        if (same.isPresent() && same.get().ip().equals(r.ip())) {
                            continue;
                        }
                        if (same.isPresent()) {
                            conflicts.add(r.identity() + " holds " + same.get().ip() + " in the cluster, " + r.ip()
                                    + " in the file");
                        } else if (holder.isPresent()) {
                            conflicts.add(r.ip() + " is held by " + holder.get().identity() + " in the cluster, by "
                                    + r.identity() + " in the file");
                        } else {
                            puts.add(new io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerChange.Put(r));
                        }
                    }
                    if (!conflicts.isEmpty()) {
                        throw new OperationFailedException("nothing was migrated; the cluster ledger disagrees with "
                                + "the file: " + String.join("; ", conflicts));
                    }
                    return new io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerStore.Decision<>(puts, puts.size());
                });
                context.progress().step("copied " + copied + " of " + fromFile.size() + " reservations into "
                        + settings.describe(context.stateDir()));
                context.result(Map.of("copied", copied, "inFile", fromFile.size(), "store",
                        settings.describe(context.stateDir())), out -> out.println("Copied " + copied + " of "
                        + fromFile.size() + " reservations into the " + settings.describe(context.stateDir())));
                return 0;
            }
        }
    }

    /** {@code ip-ledger gc}. */
    @Command(name = "gc", mixinStandardHelpOptions = true,
            description = "Release idle reservations older than their pool's reclaimAfter (never while the pod is "
                    + "Terminating or its node NotReady).")
    static final class GcCommand implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (CliContext context = CliContext.of(spec)) {
                ReservationCollector.Report report = ReservationCollector.create(context.client(), context.retry(),
                        ledger(context), StickyIpConfig.pools(context.config()), context.clock())
                        .collect(context.progress());
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("released", report.released().stream().map(IpLedgerCommand::json).toList());
                result.put("held", report.held().stream().map(h -> Map.of("identity", h.reservation().identity(),
                        "ip", h.reservation().ip(), "reason", h.reason())).toList());
                context.result(result, out -> out.println("Released " + report.released().size() + ", held "
                        + report.held().size()));
                return 0;
            }
        }
    }

    /** {@code ip-ledger sync}. */
    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = "Adopt pods in pool ranges that the ledger does not know; record nodes of known identities.")
    static final class SyncCommand implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (CliContext context = CliContext.of(spec)) {
                PodAdopter.Report report = new PodAdopter(context.client(), context.retry(), ledger(context),
                        StickyIpConfig.pools(context.config()), context.clock()).sync(context.progress());
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("adopted", report.adopted().stream().map(IpLedgerCommand::json).toList());
                result.put("moved", report.moved().stream().map(IpLedgerCommand::json).toList());
                result.put("idled", report.idled().stream().map(IpLedgerCommand::json).toList());
                result.put("conflicts", List.copyOf(report.conflicts()));
                context.result(result, out -> out.println("Adopted " + report.adopted().size() + ", moved "
                        + report.moved().size() + ", idled " + report.idled().size() + ", conflicts "
                        + report.conflicts().size()));
                return 0;
            }
        }
    }

    /** {@code ip-ledger verify}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check every ledger file (checksums, commit markers, invariants) without changing any; "
                    + "exit code 1 when something is damaged.")
    static final class VerifyCommand implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (CliContext context = CliContext.of(spec)) {
                if (io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerSettings.of(context.config()).store()
                        == io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerSettings.Store.CLUSTER) {
                    return verifyCluster(context);
                }
            }
            try (CliContext context = CliContext.of(spec);
                 JournaledLedgerStore store = new JournaledLedgerStore(context.stateDir().resolve("ip-ledger"))) {
                List<JournaledLedgerStore.FileCheck> checks = store.verify();
                // the newest snapshot (or the journal alone) decides what the ledger reads; older ones are backups
                boolean readable = !checks.isEmpty() && checks.get(0).replays();
                List<String> outside = readable ? outsideTheirPool(store, StickyIpConfig.pools(context.config()))
                        : List.of();
                boolean healthy = readable && outside.isEmpty();
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("healthy", healthy);
                result.put("outsideTheirPool", outside);
                result.put("files", checks.stream().map(c -> Map.of("file", c.file(), "intact", c.intact(),
                        "replays", c.replays(), "detail", c.detail())).toList());
                context.result(result, out -> {
                    checks.forEach(c -> out.println((c.intact() ? "ok       " : "DAMAGED  ") + c.file() + ": " + c.detail()));
                    outside.forEach(o -> out.println("OUTSIDE  " + o));
                    out.println(healthy ? "The ledger is intact." : !readable ? "The ledger is damaged; nothing was "
                            + "changed. 'kubeplatform ip-ledger restore' rebuilds it from the newest snapshot that reads "
                            + "and the intact journal (damaged files are kept, renamed)." : "The ledger reads, but "
                            + outside.size() + " reservation(s) lie outside their configured pool; nothing was changed. "
                            + "Fix the pool configuration or release them (ip-ledger release --identity ...).");
                });
                return healthy ? 0 : 1;
            }
        }

        private static int verifyCluster(CliContext context) {
            IpReservationLedger ledger = ledger(context);
            io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterLedgerStore store =
                    (io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterLedgerStore) ledger.store();
            List<String> problems = store.verify();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("healthy", problems.isEmpty());
            result.put("store", "cluster");
            result.put("namespace", store.namespace());
            result.put("problems", problems);
            context.result(result, out -> {
                problems.forEach(p -> out.println("DAMAGED  " + p));
                out.println(problems.isEmpty() ? "The cluster ledger in namespace " + store.namespace() + " is intact."
                        : "The cluster ledger has " + problems.size() + " problem(s); nothing was changed.");
            });
            return problems.isEmpty() ? 0 : 1;
        }
    }

    /** Reservations whose pool is configured but does not cover their address (a pool narrowed after the fact). */
    static List<String> outsideTheirPool(JournaledLedgerStore store, Map<String, IpPool> pools) {
        List<String> outside = new java.util.ArrayList<>();
        store.scan(4096, page -> {
            for (Reservation r : page) {
                IpPool pool = pools.get(r.pool());
                boolean covered = pool == null || io.jenkins.plugins.kubeplatform.engine.stickyip.address.IpKey.parse(r.ip())
                        .map(pool::covers).orElse(false);
                if (!covered) {
                    outside.add(r.identity() + " holds " + r.ip() + ", outside pool '" + r.pool() + "' ("
                            + pool.describeAddresses() + ")");
                }
            }
        });
        return outside;
    }

    /** {@code ip-ledger restore}. */
    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Rebuild the ledger from a snapshot (default: the newest that reads) and the intact journal "
                    + "after it; damaged and superseded files are renamed *.damaged-<time>, never deleted.")
    static final class RestoreCommand implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--snapshot", paramLabel = "N", description = "Restore from snapshot-N.bin (see ip-ledger verify).")
        Long snapshot;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (CliContext context = CliContext.of(spec);
                 JournaledLedgerStore store = new JournaledLedgerStore(context.stateDir().resolve("ip-ledger"))) {
                JournaledLedgerStore.Restored restored;
                try {
                    restored = store.restore(Optional.ofNullable(snapshot));
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("--snapshot", e.getMessage());
                }
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("fromSnapshot", restored.fromSnapshot());
                result.put("records", restored.records());
                result.put("acknowledged", restored.acknowledged());
                result.put("reservations", restored.reservations());
                result.put("movedAside", restored.movedAside());
                long lost = Math.max(0, restored.acknowledged() - restored.records());
                context.result(result, out -> {
                    out.println("Restored " + restored.reservations() + " reservations from "
                            + (restored.fromSnapshot() < 0 ? "" : "snapshot " + restored.fromSnapshot() + " and ")
                            + "the journal up to record " + restored.records() + ".");
                    if (lost > 0) {
                        out.println("Records " + (restored.records() + 1) + ".." + restored.acknowledged()
                                + " were acknowledged but could not be read back: run 'kubeplatform ip-ledger sync' to "
                                + "adopt the addresses pods use now, and check recent deploys.");
                    }
                    restored.movedAside().forEach(f -> out.println("kept as " + f));
                });
                return 0;
            }
        }
    }
}
