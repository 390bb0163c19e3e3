package io.jenkins.plugins.kubeplatform.cli.bench;

import io.jenkins.plugins.kubeplatform.cli.bench.spi.BenchOptions;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Benchmark;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Measurement;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code kubeplatform bench}: runs the benchmarks and prints (or writes) a Markdown report. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure ledger allocation, GC sweeps, API requests per operation and placement; "
                + "prints a Markdown report, or one JSON object with --output json (see docs/benchmarks.md).")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--only", split = ",", paramLabel = "NAME", description = "Run only these benchmarks.")
    Set<String> only;

    @Option(names = "--quick", description = "Small sizes and few iterations (a smoke run, not figures to publish).")
    boolean quick;

    @Option(names = "--sizes", split = ",", paramLabel = "N", description = "Sizes for benchmarks that have them "
            + "(rollout: numbers of identities/replicas, e.g. 10,100,1000).")
    List<Integer> sizes;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the Markdown report to FILE.")
    Path report;

    @Option(names = "--size", paramLabel = "N", description = "Data size for benchmarks that have one "
            + "(ip-ledger: reservations in the ledger; default 1k, 10k and 60k).")
    Integer size;

    @Option(names = "--allocations", paramLabel = "N", description = "Timed operations for benchmarks that have "
            + "them (ip-ledger: durable allocations per size; default 2000).")
    Integer allocations;

    @Option(names = "--trace", description = "Benchmarks that can break their slowest operations down into steps do "
            + "(ip-ledger: time per step of the slowest 1%% of allocations).")
    boolean trace;

    @Option(names = "--controller-limits", description = "rollout: limit the simulated controllers' clients as "
            + "a control plane's defaults do (--kube-api-qps 20, --kube-api-burst 30 per kube-controller-manager "
            + "controller; 50 and 100 for the scheduler); by default they are unlimited.")
    boolean controllerLimits;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Benchmark> selected = new ArrayList<>();
        for (Benchmark b : Benchmarks.all()) {
            if (only == null || only.contains(b.name())) {
                selected.add(b);
            }
        }
        if (only != null && selected.size() != only.size()) {
            throw new InvalidInputException("--only", "names an unknown benchmark; known: "
                    + Benchmarks.all().stream().map(Benchmark::name).toList());
        }
        if (sizes != null && sizes.stream().anyMatch(n -> n < 1 || n > 1000)) {
            throw new InvalidInputException("--sizes", "each size must be between 1 and 1000; got " + sizes);
        }
        if (size != null && size < 1) {
            throw new InvalidInputException("--size", "must be at least 1");
        }
        if (allocations != null && allocations < 1) {
            throw new InvalidInputException("--allocations", "must be at least 1");
        }
        OptionalInt sizeOption = size == null ? OptionalInt.empty() : OptionalInt.of(size);
        OptionalInt allocationsOption = allocations == null ? OptionalInt.empty() : OptionalInt.of(allocations);
        CommandLine.Model.OptionSpec outputOption = spec.root().findOption("--output");
        Object output = outputOption == null ? null : outputOption.getValue();
        boolean json = output != null && "json".equalsIgnoreCase(output.toString());
        Path work = Files.createTempDirectory("kubeplatform-bench");
        StringBuilder md = new StringBuilder();
        md.append("## Run of ").append(LocalDate.now(ZoneOffset.UTC)).append(quick ? " (quick)" : "").append("\n\n");
        md.append(machine()).append("\n\n");
        md.append("| benchmark | scenario | metric | value | unit | note |\n|---|---|---|---|---|---|\n");
        PrintWriter err = spec.commandLine().getErr();
        List<Map<String, Object>> jsonResults = new ArrayList<>();
        for (Benchmark b : selected) {
            err.println("[bench] " + b.name() + ": " + b.description());
            err.flush();
            for (Measurement m : b.run(new BenchOptions(quick, Files.createDirectories(work.resolve(b.name())),
                    sizeOption, allocationsOption, sizes, trace, controllerLimits))) {
                md.append("| ").append(b.name()).append(" | ").append(m.scenario()).append(" | ").append(m.metric())
                        .append(" | ").append(format(m.value())).append(" | ").append(m.unit()).append(" | ")
                        .append(m.note()).append(" |\n");
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("benchmark", b.name());
                row.put("scenario", m.scenario());
                row.put("metric", m.metric());
                row.put("value", Double.isFinite(m.value()) ? m.value() : null);
                row.put("unit", m.unit());
                row.put("note", m.note());
                jsonResults.add(row);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("date", LocalDate.now(ZoneOffset.UTC).toString());
            doc.put("quick", quick);
            doc.put("machine", machine());
            doc.put("measurements", jsonResults);
            out.println(io.jenkins.plugins.kubeplatform.engine.store.Json.mapper().writeValueAsString(doc));
        } else {
            out.print(md);
        }
        out.flush();
        if (report != null) {
            Files.writeString(report, md, StandardCharsets.UTF_8);
        }
        deleteTree(work);
        return 0;
    }

    static String machine() {
        Runtime rt = Runtime.getRuntime();
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : -1;
        return String.format(Locale.ROOT, "Machine: %d cores, %s memory, %s %s, Java %s (%s), max heap %d MiB.",
                rt.availableProcessors(), memory > 0 ? (memory >> 30) + " GiB" : "unknown",
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), rt.maxMemory() >> 20);
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.3f", v);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
