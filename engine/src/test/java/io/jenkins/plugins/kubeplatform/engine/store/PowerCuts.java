package io.jenkins.plugins.kubeplatform.engine.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs a workload against a {@link PageCacheFileSystem} with a power cut at every mutating call in turn, reboots
 * with each kind of {@link PageCacheFileSystem.Loss}, and checks what the rebooted file system holds against the
 * operations the workload saw acknowledged before the cut.
 */
public final class PowerCuts {

    private PowerCuts() {
    }

    /** The operations of a run; {@code acknowledged} gets each operation once its call has returned. */
    @FunctionalInterface
    public interface Workload<T> {
        void run(FileIo io, List<T> acknowledged) throws Exception;
    }

    /**
     * What is wrong after a reboot, if anything (a lost acknowledged operation, a store that does not open). The
     * operation in flight at the cut was not acknowledged: the check must accept it both applied and not applied.
     */
    @FunctionalInterface
    public interface Check<T> {
        Optional<String> problem(FileIo rebooted, List<T> acknowledged) throws Exception;
    }

    /** The outcome: how many cuts and reboots were tried, the acknowledged operations seen, and every problem. */
    public record Report(long boundaries, int reboots, int maxAcknowledged, List<String> problems) {
    }

    public static <T> Report explore(Supplier<PageCacheFileSystem> fileSystem, Workload<T> workload, Check<T> check)
            throws Exception {
        PageCacheFileSystem dry = fileSystem.get();
        List<T> all = new ArrayList<>();
        workload.run(dry, all);
        List<String> problems = new ArrayList<>();
        try {
            check.problem(dry.afterPowerCut(PageCacheFileSystem.Loss.ALL_UNSYNCED, 0), all)
                    .ifPresent(p -> problems.add("after the whole run, a power cut: " + p));
        } catch (Exception e) {
            problems.add("after the whole run, a power cut: the store does not open: " + e.getMessage());
        }
        long boundaries = dry.operations();
        int reboots = 0;
        for (long cut = 1; cut <= boundaries; cut++) {
            for (PageCacheFileSystem.Loss loss : PageCacheFileSystem.Loss.values()) {
                PageCacheFileSystem fs = fileSystem.get().cutPowerAt(cut);
                List<T> acknowledged = new ArrayList<>();
                try {
                    workload.run(fs, acknowledged);
                } catch (Exception | Error e) {
                    if (!fs.poweredOff()) {
                        throw new AssertionError("cut " + cut + ": the run failed before the power cut", e);
                    }
                }
                reboots++;
                Optional<String> problem;
                try {
                    problem = check.problem(fs.afterPowerCut(loss, cut), acknowledged);
                } catch (Exception e) {
                    problem = Optional.of("the store does not open: " + e.getMessage());
                }
                long at = cut;
                problem.ifPresent(p -> problems.add("cut at call " + at + " of " + boundaries + " (" + loss + ", "
                        + acknowledged.size() + " acknowledged): " + p));
            }
        }
        return new Report(boundaries, reboots, all.size(), problems);
    }
}
