package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LegacyLedgerMigrationTest {

    @TempDir
    Path dir;

    private static String line(String json) {
        CRC32 crc = new CRC32();
        crc.update(json.getBytes(StandardCharsets.UTF_8));
        return String.format(Locale.ROOT, "%08x ", crc.getValue()) + json + "\n";
    }

    @Test
    void convertsAJsonSnapshotAndJournalOfTheEarlierFormatAndKeepsTheOldFiles() throws Exception {
        // as the earlier version wrote them: generation 2 snapshot, then two journal lines (a put and a remove)
        Files.writeString(dir.resolve("ledger-2.snapshot.json"), "{\"format\":\"kubeplatform-ip-ledger/1\","
                + "\"generation\":2,\"reservations\":[{\"identity\":\"shop/web-0\",\"pool\":\"default\","
                + "\"ip\":\"10.42.200.1\",\"kind\":\"managed\",\"state\":\"active\",\"owner\":\"job#1\","
                + "\"created\":\"2026-01-01T00:00:00Z\",\"revision\":1},{\"identity\":\"shop/web-1\","
                + "\"pool\":\"default\",\"ip\":\"10.42.200.2\",\"kind\":\"managed\",\"state\":\"idle\","
                + "\"idleSince\":\"2026-01-02T00:00:00Z\",\"owner\":\"job#1\",\"created\":\"2026-01-01T00:00:00Z\","
                + "\"revision\":2}]}");
        Files.writeString(dir.resolve("ledger-2.journal"), line("{\"changes\":[{\"put\":{\"identity\":\"shop/web-2\","
                + "\"pool\":\"default\",\"ip\":\"10.42.200.3\",\"kind\":\"managed\",\"state\":\"active\","
                + "\"owner\":\"job#2\",\"created\":\"2026-01-03T00:00:00Z\",\"revision\":1}}]}")
                + line("{\"changes\":[{\"remove\":\"shop/web-0\"}]}"));

        JournaledLedgerStore store = new JournaledLedgerStore(dir);

        assertThat(store.<Integer>read(LedgerView::size)).isEqualTo(2);
        assertThat(store.<Optional<Reservation>>read(v -> v.get("shop/web-1"))).get()
                .satisfies(r -> {
                    assertThat(r.ip()).isEqualTo("10.42.200.2");
                    assertThat(r.isIdle()).isTrue();
                    assertThat(r.revision()).isEqualTo(2);
                });
        assertThat(store.<Optional<Reservation>>read(v -> v.holderOf("10.42.200.3"))).map(Reservation::identity)
                .contains("shop/web-2");
        store.close();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("ledger-2.snapshot.json.migrated",
                    "ledger-2.journal.migrated", "snapshot-0.bin", "journal-0.log");
        }
        assertThat(new JournaledLedgerStore(dir).<Integer>read(LedgerView::size)).isEqualTo(2);
    }
}
