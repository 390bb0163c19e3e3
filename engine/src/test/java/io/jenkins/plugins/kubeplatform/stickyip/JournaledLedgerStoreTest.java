package io.jenkins.plugins.kubeplatform.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.stickyip.LedgerStore.Decision;
import io.jenkins.plugins.kubeplatform.store.StoreCorruptedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournaledLedgerStoreTest {

    @TempDir
    Path dir;

    static Reservation reservation(String identity, String ip) {
        return new Reservation(identity, "default", ip, Reservation.Kind.MANAGED, Reservation.State.ACTIVE, null, null,
                "test", Instant.parse("2026-01-01T00:00:00Z"), 1);
    }

    static void put(LedgerStore store, String identity, String ip) {
        store.update(v -> new Decision<>(List.of(new LedgerChange.Put(reservation(identity, ip))), null));
    }

    @Test
    void readsBackWhatAnotherInstanceWrote() {
        put(new JournaledLedgerStore(dir), "ns/app-0", "10.0.0.1");

        JournaledLedgerStore other = new JournaledLedgerStore(dir);

        assertThat(other.<java.util.Optional<Reservation>>read(v -> v.get("ns/app-0"))).map(Reservation::ip).contains("10.0.0.1");
        assertThat(other.<java.util.Optional<Reservation>>read(v -> v.holderOf("10.0.0.1"))).map(Reservation::identity).contains("ns/app-0");
    }

    @Test
    void seesChangesOfAnotherInstanceOnTheSameDirectory() {
        JournaledLedgerStore a = new JournaledLedgerStore(dir);
        JournaledLedgerStore b = new JournaledLedgerStore(dir);
        put(a, "ns/app-0", "10.0.0.1");
        put(b, "ns/app-1", "10.0.0.2");
        a.update(v -> new Decision<>(List.of(new LedgerChange.Remove("ns/app-1")), null));

        assertThat(b.<Integer>read(LedgerView::size)).isEqualTo(1);
        assertThat(b.<Boolean>read(v -> v.reserved().isTaken(LedgerTable.address("10.0.0.2")))).isFalse();
    }

    @Test
    void refusesToGiveOneAddressToTwoIdentities() {
        JournaledLedgerStore store = new JournaledLedgerStore(dir);
        put(store, "ns/app-0", "10.0.0.1");

        assertThatThrownBy(() -> put(store, "ns/other-0", "10.0.0.1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("10.0.0.1 is held by ns/app-0");
        assertThat(new JournaledLedgerStore(dir).<Integer>read(LedgerView::size)).isEqualTo(1);
    }

    @Test
    void writesNothingForAnEmptyDecision() throws Exception {
        JournaledLedgerStore store = new JournaledLedgerStore(dir);
        store.update(v -> Decision.none(null));

        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsOnly("ledger.lock");
        }
    }

    @Test
    void compactsIntoASnapshotAndKeepsEverything() throws Exception {
        JournaledLedgerStore store = new JournaledLedgerStore(dir, 5);
        for (int i = 1; i <= 12; i++) {
            put(store, "ns/app-" + i, "10.0.0." + i);
        }
        store.update(v -> new Decision<>(List.of(new LedgerChange.Remove("ns/app-3")), null));

        JournaledLedgerStore fresh = new JournaledLedgerStore(dir, 5);
        assertThat(fresh.<Integer>read(LedgerView::size)).isEqualTo(11);
        assertThat(fresh.<java.util.Optional<Reservation>>read(v -> v.get("ns/app-3"))).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "ledger.lock", "ledger-2.snapshot.json", "ledger-2.journal");
        }
    }

    @Test
    void reloadsWhenAnotherInstanceCompacted() {
        JournaledLedgerStore a = new JournaledLedgerStore(dir, 3);
        JournaledLedgerStore b = new JournaledLedgerStore(dir, 3);
        put(b, "ns/app-0", "10.0.0.100");
        for (int i = 1; i <= 7; i++) {
            put(a, "ns/app-" + i, "10.0.0." + i);
        }

        assertThat(b.<Integer>read(LedgerView::size)).isEqualTo(8);
    }

    @Test
    void ignoresATornLastLineAndCutsItOffOnTheNextWrite() throws Exception {
        JournaledLedgerStore store = new JournaledLedgerStore(dir);
        put(store, "ns/app-0", "10.0.0.1");
        Path journal = dir.resolve("ledger-0.journal");
        Files.write(journal, "0badf00d {\"changes\":[{\"put\"".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        JournaledLedgerStore reopened = new JournaledLedgerStore(dir);
        assertThat(reopened.<Integer>read(LedgerView::size)).isEqualTo(1);
        put(reopened, "ns/app-1", "10.0.0.2");

        assertThat(new JournaledLedgerStore(dir).<Integer>read(LedgerView::size)).isEqualTo(2);
        assertThat(Files.readAllLines(journal)).hasSize(2);
    }

    @Test
    void reportsADamagedLineFollowedByIntactOnesAsCorruption() throws Exception {
        JournaledLedgerStore store = new JournaledLedgerStore(dir);
        put(store, "ns/app-0", "10.0.0.1");
        put(store, "ns/app-1", "10.0.0.2");
        Path journal = dir.resolve("ledger-0.journal");
        byte[] bytes = Files.readAllBytes(journal);
        bytes[20] = (byte) (bytes[20] == 'x' ? 'y' : 'x');
        Files.write(journal, bytes);

        assertThatThrownBy(() -> new JournaledLedgerStore(dir).<Integer>read(LedgerView::size))
                .isInstanceOf(StoreCorruptedException.class).hasMessageContaining("damaged");
    }
}
