package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LedgerCrashTest {

    @TempDir
    Path dir;

    /**
     * The writer is killed at one chosen write boundary: its {@link io.jenkins.plugins.kubeplatform.engine.store.HaltingFileIo}
     * parks the reservation after the 23rd acknowledgement (segments of 10 records: the journal is in its third
     * segment, two compactions behind it) at that point and says so; the test kills it on that line. Every
     * acknowledged reservation survives with its address, no address is held twice, and the reservation in flight is
     * there exactly when its record was forced before the kill ({@code present}), absent when its record was torn
     * ({@code absent}); a record written whole but not forced may be either (a kill keeps the page cache).
     */
    @ParameterizedTest(name = "killed at {0} of the {1} file: in-flight reservation {2}")
    @CsvSource({
        "HALF_WRITTEN, journal, absent",
        "WRITTEN_NOT_FORCED, journal, either",
        "FORCED, journal, present",
        "BEFORE_RENAME, segment, present",
        "AFTER_RENAME, snapshot, either"})
    void keepsEveryAcknowledgedReservationWhenTheWriterIsKilledAtAWriteBoundary(
            io.jenkins.plugins.kubeplatform.engine.store.HaltingFileIo.Point point, String file, String inFlight)
            throws Exception {
        int armAfter = 23;
        Process process = LedgerWriterProcess.startHalting(dir, "k", 10, point.name(), file, armAfter);
        // reading the child's output cannot be interrupted: a child that never reaches the boundary is killed after
        // 60 s, which ends the output, and the assertions below fail
        CompletableFuture.runAsync(process::destroyForcibly,
                CompletableFuture.delayedExecutor(60, TimeUnit.SECONDS));
        List<String> acks = new ArrayList<>();
        String halted = null;
        List<String> afterKill = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (halted != null && !(file.equals("snapshot") && line.startsWith("ack "))) {
                    afterKill.add(line);
                } else if (line.startsWith("halted at ")) {
                    halted = line;
                    new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start().waitFor();
                } else if (line.startsWith("ack ")) {
                    // (a compaction is parked in the background: allocations printed before the kill landed count)
                    String[] parts = line.split(" ");
                    acks.add(parts[2] + " " + parts[1]);
                } else {
                    throw new AssertionError("writer process said: " + line);
                }
            }
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("ended by SIGKILL").isEqualTo(128 + 9);
        assertThat(halted).as("the writer reached the boundary").startsWith("halted at " + point + " ");
        String inFlightIdentity = new ReplicaIdentity("ns", "k", acks.size()).key();
        if (file.equals("snapshot")) {
            // the compaction runs in the background: allocations go on while it is parked, and the kill ends them
            assertThat(afterKill).as("nothing but acknowledgements after the boundary").isEmpty();
            assertThat(acks).as("acknowledged before the kill").hasSizeGreaterThanOrEqualTo(armAfter);
        } else if (file.equals("segment")) {
            // armed after 23: the 30th record fills the third segment of 10, and its rotation starts the next one
            assertThat(acks).as("acknowledged before the kill").hasSize(29);
            assertThat(afterKill).as("the writer went no further after the boundary").isEmpty();
        } else {
            assertThat(acks).as("acknowledged before the kill").hasSize(armAfter);
            assertThat(afterKill).as("the writer went no further after the boundary").isEmpty();
        }

        JournaledLedgerStore store = new JournaledLedgerStore(dir, 10);
        for (String ack : acks) {
            String[] identityAndIp = ack.split(" ");
            assertThat(store.<java.util.Optional<Reservation>>read(v -> v.get(identityAndIp[0]))).as(ack)
                    .map(Reservation::ip).contains(identityAndIp[1]);
        }
        assertThat(store.<List<String>>read(v -> v.all().stream().map(Reservation::ip).toList()))
                .doesNotHaveDuplicates();
        boolean present = store.<java.util.Optional<Reservation>>read(v -> v.get(inFlightIdentity)).isPresent();
        if (inFlight.equals("present")) {
            assertThat(present).as(inFlightIdentity + ", forced before the kill").isTrue();
        } else if (inFlight.equals("absent")) {
            assertThat(present).as(inFlightIdentity + ", torn by the kill").isFalse();
        }
        assertThat(store.<Integer>read(LedgerView::size)).isEqualTo(acks.size() + (present ? 1 : 0));
        store.awaitCompaction();
        store.close();
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
}
