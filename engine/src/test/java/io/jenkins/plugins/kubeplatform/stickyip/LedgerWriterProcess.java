package io.jenkins.plugins.kubeplatform.stickyip;

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

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        String prefix = args[1];
        int count = Integer.parseInt(args[2]);
        int compactAfter = Integer.parseInt(args[3]);
        IpPool pool = Pools.pool("default", "10.40.0.0/14");
        IpReservationLedger ledger = new IpReservationLedger(new JournaledLedgerStore(dir, compactAfter),
                Clock.systemUTC(), new Random());
        for (int i = 0; count == 0 || i < count; i++) {
            Reservation r = ledger.reserve(pool, List.of(new ReplicaIdentity("ns", prefix, i)), Set.of(), Set.of(),
                    prefix).get(0);
            System.out.println("ack " + r.ip() + " " + r.identity());
            System.out.flush();
        }
    }

    static Process start(Path dir, String prefix, int count, int compactAfter) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LedgerWriterProcess.class.getName(),
                dir.toString(), prefix, Integer.toString(count), Integer.toString(compactAfter))
                .redirectErrorStream(true).start();
    }

    /** Reads acknowledgements until the process ends, as "identity ip". */
    static List<String> acks(Process process) throws IOException {
        List<String> acks = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!line.startsWith("ack ")) {
                    throw new AssertionError("writer process said: " + line);
                }
                String[] parts = line.split(" ");
                acks.add(parts[2] + " " + parts[1]);
            }
        }
        return acks;
    }
}
