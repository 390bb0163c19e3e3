package io.jenkins.plugins.kubeplatform.cli;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.edgevm.Inventory;
import io.jenkins.plugins.kubeplatform.engine.expose.DomainRegistry;
import io.jenkins.plugins.kubeplatform.engine.stickyip.JournaledLedgerStore;
import io.jenkins.plugins.kubeplatform.engine.store.AtomicFileStore;
import io.jenkins.plugins.kubeplatform.engine.store.FileIo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code kubeplatform state verify|restore}: checks every state file of --state-dir (IP ledger, domain registry, VM
 * inventory) and reinstates a store from its backups.
 */
@Command(name = "state", mixinStandardHelpOptions = true,
        description = "Check every state file in --state-dir (IP ledger, domain registry, edge VM inventory) and "
                + "restore a damaged one from its backups.",
        subcommands = {StateCommand.VerifyCommand.class, StateCommand.RestoreCommand.class})
public final class StateCommand implements Runnable {

    static final String LEDGER = "ip-ledger";
    static final String DOMAINS = "domains";
    static final String INVENTORY = "edge-inventory";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: verify or restore");
    }

    static AtomicFileStore<?> fileStore(String store, Path stateDir) {
        return switch (store) {
            case DOMAINS -> DomainRegistry.fileStore(stateDir, FileIo.nio());
            case INVENTORY -> Inventory.fileStore(stateDir, FileIo.nio());
            default -> throw new IllegalArgumentException(store);
        };
    }

    /** {@code state verify}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check every state file and its backups (headers, checksums, lengths, records) without "
                    + "changing any; exit code 1 when a store's current state is damaged.")
    static final class VerifyCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (CliContext context = CliContext.of(spec)) {
                Path stateDir = context.stateDir();
                List<Map<String, Object>> files = new ArrayList<>();
                List<String> damaged = new ArrayList<>();
                if (!java.nio.file.Files.isDirectory(stateDir.resolve(LEDGER))) {
                    files.add(file(LEDGER, LEDGER, false, true, "absent (nothing recorded yet)"));
                } else {
                    verifyLedger(stateDir, files, damaged);
                }
                for (String store : List.of(DOMAINS, INVENTORY)) {
                    List<AtomicFileStore.FileCheck> checks = fileStore(store, stateDir).verify();
                    for (AtomicFileStore.FileCheck c : checks) {
                        files.add(file(store, c.file(), c.backup(), c.intact(), c.detail()));
                    }
                    if (!checks.get(0).intact()) {
                        damaged.add(store);
                    }
                }
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("healthy", damaged.isEmpty());
                result.put("damaged", damaged);
                result.put("files", files);
                context.result(result, out -> {
                    Table table = Table.of("STORE", "FILE", "STATUS", "DETAIL");
                    files.forEach(f -> table.row(f.get("store"), f.get("file"),
                            Boolean.TRUE.equals(f.get("intact")) ? "ok" : "DAMAGED", f.get("detail")));
                    table.print(out, true, true);
                    out.println(damaged.isEmpty() ? "Every store reads." : "Damaged: " + String.join(", ", damaged)
                            + ". Nothing was changed. " + damaged.stream().map(StateCommand::remedy)
                            .reduce((a, b) -> a + " " + b).orElse(""));
                });
                return damaged.isEmpty() ? 0 : 1;
            }
        }

        private static void verifyLedger(Path stateDir, List<Map<String, Object>> files, List<String> damaged) {
            try (JournaledLedgerStore ledger = new JournaledLedgerStore(stateDir.resolve(LEDGER))) {
                List<JournaledLedgerStore.FileCheck> checks = ledger.verify();
                for (int i = 0; i < checks.size(); i++) {
                    JournaledLedgerStore.FileCheck c = checks.get(i);
                    // the newest snapshot (or the journal alone) is what the ledger reads; older ones are backups
                    files.add(file(LEDGER, LEDGER + "/" + c.file(), i > 0, c.intact() && c.replays(), c.detail()));
                }
                if (!checks.isEmpty() && !checks.get(0).replays()) {
                    damaged.add(LEDGER);
                }
            }
        }

        private static Map<String, Object> file(String store, String file, boolean backup, boolean intact,
                                                String detail) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("store", store);
            m.put("file", file);
            m.put("backup", backup);
            m.put("intact", intact);
            m.put("detail", detail);
            return m;
        }
    }

    static String remedy(String store) {
        return LEDGER.equals(store) ? "'kubeplatform state restore ip-ledger' rebuilds the ledger from the newest "
                + "snapshot that reads and the intact journal." : "'kubeplatform state restore " + store
                + "' reinstates its newest intact backup.";
    }

    /** {@code state restore}. */
    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Restore one store: the domain registry or edge VM inventory from a backup (default: the "
                    + "newest intact one; a file that reads is only replaced when --backup names one), the IP ledger "
                    + "from a snapshot and its journal (as ip-ledger restore). The replaced files are kept, renamed.")
    static final class RestoreCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "STORE",
                description = "ip-ledger, domains (domains.json) or edge-inventory (edge-inventory.json).")
        String store;

        @Option(names = "--backup", paramLabel = "N",
                description = "Backup generation N (<file>.bak-N) or, for the ip-ledger, snapshot N (see state verify).")
        Long backup;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            String name = switch (store.toLowerCase(Locale.ROOT)) {
                case "domains", "domains.json", "domain-registry" -> DOMAINS;
                case "edge-inventory", "edge-inventory.json", "inventory", "edge-vm-inventory" -> INVENTORY;
                case "ip-ledger", "ledger" -> LEDGER;
                default -> throw new InvalidInputException("STORE", "'" + store + "' is not a store; use ip-ledger, "
                        + "domains or edge-inventory");
            };
            try (CliContext context = CliContext.of(spec)) {
                if (LEDGER.equals(name)) {
                    return restoreLedger(context);
                }
                AtomicFileStore<?> fileStore = fileStore(name, context.stateDir());
                AtomicFileStore.Restored restored;
                try {
                    restored = fileStore.restore(Optional.ofNullable(backup));
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("--backup", e.getMessage());
                }
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("store", name);
                result.put("from", restored.from());
                result.put("fromGeneration", restored.fromGeneration());
                result.put("generation", restored.generation());
                result.put("keptAs", restored.keptAs().orElse(null));
                context.result(result, out -> {
                    out.println("Restored " + fileStore.file().getFileName() + " from " + restored.from()
                            + " (generation " + restored.fromGeneration() + "; now generation "
                            + restored.generation() + ").");
                    restored.keptAs().ifPresent(k -> out.println("kept the replaced file as " + k));
                    out.println(DOMAINS.equals(name)
                            ? "Changes after that backup are not in the registry: run 'kubeplatform expose-sync' to "
                            + "record the hosts the cluster's claims hold now."
                            : "Changes after that backup are not in the inventory: run 'kubeplatform edge-vm sync' "
                            + "and compare with the VMs of the site clusters.");
                });
                return 0;
            }
        }

        private int restoreLedger(CliContext context) {
            try (JournaledLedgerStore ledger = new JournaledLedgerStore(context.stateDir().resolve(LEDGER))) {
                JournaledLedgerStore.Restored restored;
                try {
                    restored = ledger.restore(Optional.ofNullable(backup));
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("--backup", e.getMessage());
                }
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("store", LEDGER);
                result.put("fromSnapshot", restored.fromSnapshot());
                result.put("records", restored.records());
                result.put("acknowledged", restored.acknowledged());
                result.put("reservations", restored.reservations());
                result.put("movedAside", restored.movedAside());
                context.result(result, out -> {
                    out.println("Restored " + restored.reservations() + " reservations from "
                            + (restored.fromSnapshot() < 0 ? "" : "snapshot " + restored.fromSnapshot() + " and ")
                            + "the journal up to record " + restored.records() + ".");
                    if (restored.acknowledged() > restored.records()) {
                        out.println("Records " + (restored.records() + 1) + ".." + restored.acknowledged()
                                + " were acknowledged but could not be read back: run 'kubeplatform ip-ledger sync' "
                                + "to adopt the addresses pods use now.");
                    }
                    restored.movedAside().forEach(f -> out.println("kept as " + f));
                });
                return 0;
            }
        }
    }
}
