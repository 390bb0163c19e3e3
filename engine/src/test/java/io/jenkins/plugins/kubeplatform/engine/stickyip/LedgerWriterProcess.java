package io.jenkins.plugins.kubeplatform.engine.stickyip;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A separate JVM that reserves addresses for {@code count} identities (0 = forever) and prints
 * "ack identity ip" once each reservation is acknowledged; used for multi-process and kill -9 tests.
 */
public final class LedgerWriterProcess {

    private LedgerWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String prefix = args[1];
        int count = Integer.parseInt(args[2]);
        int compactAfter = Integer.parseInt(args[3]);
        IpPool pool = Pools.pool("default", "10.40.0.0/14");
        io.jenkins.plugins.kubeplatform.engine.store.HaltingFileIo halting = null;
        long armAfter = -1;
        if (args.length > 7 && args[4].equals("halt")) {
            // the reservation after the armAfter-th acknowledgement stops at one write boundary of one kind of file
            halting = new io.jenkins.plugins.kubeplatform.engine.store.HaltingFileIo(
                    io.jenkins.plugins.kubeplatform.engine.store.HaltingFileIo.Point.valueOf(args[5]), files(args[6]),
                    System.out);
            armAfter = Long.parseLong(args[7]);
        }
        JournaledLedgerStore store = halting == null ? new JournaledLedgerStore(dir, compactAfter)
                : new JournaledLedgerStore(dir, compactAfter, halting);
        if (args.length > 4 && args[4].equals("pause-compaction")) {
            // a background compaction announces itself with half a snapshot written and never finishes: the test
            // kills the process right there
            java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
            store.onCompaction(() -> {
                System.out.println("compacting");
                System.out.flush();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        IpReservationLedger ledger = new IpReservationLedger(store, Clock.systemUTC(), new Random());
        if (args.length > 4 && args[4].equals("barrier")) {
            // a barrier across processes: say the store is open, then wait for the test's go on stdin
            System.out.println("ready");
            System.out.flush();
            if (System.in.read() < 0) {
                return;
            }
        }
        for (int i = 0; count == 0 || i < count; i++) {
            Reservation r = ledger.reserve(pool, List.of(new ReplicaIdentity("ns", prefix, i)), Set.of(), Set.of(),
                    prefix).get(0);
            System.out.println("ack " + r.ip() + " " + r.identity() + " " + java.time.Instant.now());
            System.out.flush();
            if (i + 1 == armAfter) {
                halting.arm();
            }
        }
        store.awaitCompaction();
    }

    /**
     * The files whose boundaries count: {@code journal} the live journal segment, {@code segment} the temporary file
     * of a new segment, {@code snapshot} a compaction's snapshot (temporary file and final name).
     */
    static java.util.function.Predicate<String> files(String kind) {
        return switch (kind) {
            case "journal" -> name -> name.matches("journal-\\d+\\.log");
            case "segment" -> name -> name.startsWith(".journal-");
            case "snapshot" -> name -> name.startsWith(".snapshot-") || name.matches("snapshot-\\d+\\.bin");
            default -> throw new IllegalArgumentException("file kind: " + kind);
        };
    }

    /** Reserves forever; the reservation after {@code armAfter} acknowledgements halts at {@code point} of {@code kind}. */
    static Process startHalting(Path dir, String prefix, int compactAfter, String point, String kind, int armAfter)
            throws IOException {
        return start(dir, prefix, 0, compactAfter, "halt", point, kind, Integer.toString(armAfter));
    }

    static Process start(Path dir, String prefix, int count, int compactAfter, String... mode) throws IOException {
        List<String> args = new ArrayList<>(List.of(dir.toString(), prefix, Integer.toString(count),
                Integer.toString(compactAfter)));
        args.addAll(List.of(mode));
        return io.jenkins.plugins.kubeplatform.engine.store.WriterJvm.start(LedgerWriterProcess.class,
                args.toArray(String[]::new));
    }

    /** Reads the process's output up to its "ready" line (barrier mode), at most {@code seconds}. */
    static void awaitReady(Process process, int seconds) throws Exception {
        java.util.concurrent.CompletableFuture<String> first = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            StringBuilder line = new StringBuilder();
            try {
                for (int c = process.getInputStream().read(); c >= 0 && c != '\n'; c = process.getInputStream().read()) {
                    line.append((char) c);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return line.toString();
        });
        String line = first.get(seconds, java.util.concurrent.TimeUnit.SECONDS);
        if (!line.equals("ready")) {
            throw new AssertionError("writer process said: " + line);
        }
    }

    /** Reads acknowledgements until the process ends, as "identity ip time". */
    static List<String> acks(Process process) throws IOException {
        List<String> acks = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals("ready")) {
                    continue;
                }
                if (!line.startsWith("ack ")) {
                    throw new AssertionError("writer process said: " + line);
                }
                String[] parts = line.split(" ");
                acks.add(parts[2] + " " + parts[1] + (parts.length > 3 ? " " + parts[3] : ""));
            }
        }
        return acks;
    }
}
