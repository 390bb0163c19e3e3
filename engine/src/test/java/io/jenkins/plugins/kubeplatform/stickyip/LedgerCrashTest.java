package io.jenkins.plugins.kubeplatform.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerCrashTest {

    @TempDir
    Path dir;

    @Test
    void keepsEveryAcknowledgedReservationWhenTheWriterIsKilled() throws Exception {
        List<String> acknowledged = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            acknowledged.addAll(runAndKill("r" + round, 40 + round * 23));

            JournaledLedgerStore store = new JournaledLedgerStore(dir, 10);
            store.read(LedgerView::size);
            store.awaitCompaction();
            for (String ack : acknowledged) {
                String[] identityAndIp = ack.split(" ");
                assertThat(store.<java.util.Optional<Reservation>>read(v -> v.get(identityAndIp[0]))).as(ack).map(Reservation::ip).contains(identityAndIp[1]);
            }
            List<String> ips = store.read(v -> v.all().stream().map(Reservation::ip).toList());
            assertThat(ips).doesNotHaveDuplicates();
        }
    }

    @Test
    void keepsEveryAcknowledgedReservationWhenKilledDuringABackgroundCompaction() throws Exception {
        // segments of 10 records; the first background compaction stops half-way through its snapshot and stays
        // there, so allocations must go on without it; the process is killed while the compaction is in progress
        Process process = LedgerWriterProcess.start(dir, "c", 0, 10, "pause-compaction");
        List<String> acks = new ArrayList<>();
        int acksWhenCompactionStarted = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals("compacting")) {
                    acksWhenCompactionStarted = acks.size();
                    continue;
                }
                if (!line.startsWith("ack ")) {
                    throw new AssertionError("writer process said: " + line);
                }
                String[] parts = line.split(" ");
                acks.add(parts[2] + " " + parts[1]);
                if (acksWhenCompactionStarted >= 0 && acks.size() == acksWhenCompactionStarted + 25) {
                    new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start().waitFor();
                }
            }
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(acksWhenCompactionStarted).as("the compaction started").isGreaterThanOrEqualTo(10);
        assertThat(acks).hasSizeGreaterThanOrEqualTo(acksWhenCompactionStarted + 25);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("the half-written snapshot is still there, under its temporary name")
                    .anyMatch(name -> name.startsWith(".snapshot-1.tmp-")).noneMatch(name -> name.endsWith(".bin"));
        }

        JournaledLedgerStore store = new JournaledLedgerStore(dir, 10);
        for (String ack : acks) {
            String[] identityAndIp = ack.split(" ");
            assertThat(store.<java.util.Optional<Reservation>>read(v -> v.get(identityAndIp[0]))).as(ack)
                    .map(Reservation::ip).contains(identityAndIp[1]);
        }
        assertThat(store.<List<String>>read(v -> v.all().stream().map(Reservation::ip).toList())).doesNotHaveDuplicates();
        store.awaitCompaction();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("the reopened store removed the dead process's temporary file and folded the sealed segments")
                    .noneMatch(name -> name.contains(".tmp-")).anyMatch(name -> name.matches("snapshot-\\d+\\.bin"));
        }
        int size = store.read(LedgerView::size);
        store.close();
        assertThat(new JournaledLedgerStore(dir, 10).<Integer>read(LedgerView::size)).isEqualTo(size);
    }

    private List<String> runAndKill(String prefix, int acksBeforeKill) throws Exception {
        // compaction every 10 lines, so kills also land while a snapshot is being written
        Process process = LedgerWriterProcess.start(dir, prefix, 0, 10);
        List<String> acks = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!line.startsWith("ack ")) {
                    if (acks.size() < acksBeforeKill) {
                        throw new AssertionError("writer process said: " + line);
                    }
                    continue;
                }
                String[] parts = line.split(" ");
                acks.add(parts[2] + " " + parts[1]);
                if (acks.size() == acksBeforeKill) {
                    new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start().waitFor();
                }
            }
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(acks).hasSizeGreaterThanOrEqualTo(acksBeforeKill);
        return acks;
    }
}
