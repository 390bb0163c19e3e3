package io.jenkins.plugins.kubeplatform.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged state file is refused with what is damaged and how to restore, never written over; backups restore. */
class AtomicFileStoreIntegrityTest {

    record Items(List<String> items) {
        Items with(String item) {
            List<String> next = new ArrayList<>(items);
            next.add(item);
            return new Items(List.copyOf(next));
        }
    }

    @TempDir
    Path dir;

    private AtomicFileStore<Items> store() {
        return AtomicFileStore.of(dir.resolve("t.json"), "items", Items.class, () -> new Items(List.of()));
    }

    /** Writes a, b, c: t.json is generation 3, its backups hold generations 1 ([a]) and 2 ([a, b]). */
    private Path threeWrites() {
        AtomicFileStore<Items> store = store();
        for (String item : List.of("a", "b", "c")) {
            store.update(s -> Update.to(s.with(item), null));
        }
        return dir.resolve("t.json");
    }

    private void assertRefusedAndUntouched(Path file, String problem) throws Exception {
        byte[] damaged = Files.readAllBytes(file);
        AtomicFileStore<Items> store = store();
        assertThatThrownBy(store::read).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(problem)
                .hasMessageContaining("Intact backups: t.json.bak-2 (generation 2), t.json.bak-1 (generation 1)")
                .hasMessageContaining("kubeplatform state restore t.json");
        assertThatThrownBy(() -> store.update(s -> Update.to(s.with("d"), null)))
                .isInstanceOf(StoreCorruptedException.class);
        assertThat(Files.readAllBytes(file)).isEqualTo(damaged);
        assertThat(store.verify().get(0).intact()).isFalse();
        assertThat(store.verify().get(0).detail()).contains(problem);
    }

    private static void damage(Path file, UnaryOperator<byte[]> change) throws Exception {
        Files.write(file, change.apply(Files.readAllBytes(file)));
    }

    @Test
    void startsTheFileWithAFormatHeaderNamingKindGenerationLengthAndChecksum() throws Exception {
        Path file = threeWrites();
        String text = Files.readString(file);
        String content = text.substring(text.indexOf('\n') + 1);
        assertThat(text).startsWith("kubeplatform-state/2 kind=items generation=3 length="
                + content.getBytes(StandardCharsets.UTF_8).length + " crc32c=");
        assertThat(content).isEqualTo("{\"items\":[\"a\",\"b\",\"c\"]}");
    }

    @Test
    void refusesAFileWhenOneContentByteIsFlipped() throws Exception {
        Path file = threeWrites();
        damage(file, b -> {
            b[b.length - 4] ^= 0x01; // inside the last item's name
            return b;
        });
        assertRefusedAndUntouched(file, "fails its CRC-32C checksum");
    }

    @Test
    void refusesAFileWhenAHeaderByteIsFlipped() throws Exception {
        Path file = threeWrites();
        damage(file, b -> {
            int generation = new String(b, StandardCharsets.US_ASCII).indexOf("generation=3") + "generation=".length();
            b[generation] = '4';
            return b;
        });
        assertRefusedAndUntouched(file, "fails its CRC-32C checksum");
    }

    @Test
    void refusesAFileTruncatedToHalf() throws Exception {
        Path file = threeWrites();
        damage(file, b -> Arrays.copyOf(b, b.length - 10));
        assertRefusedAndUntouched(file, "it is truncated: the header promises");
    }

    @Test
    void refusesAFileCutInsideItsHeader() throws Exception {
        Path file = threeWrites();
        damage(file, b -> Arrays.copyOf(b, 30));
        assertRefusedAndUntouched(file, "its header line is incomplete (30 bytes");
    }

    @Test
    void refusesAnEmptiedFile() throws Exception {
        Path file = threeWrites();
        damage(file, b -> new byte[0]);
        assertRefusedAndUntouched(file, "it is empty (0 bytes)");
    }

    @Test
    void refusesAFileOverwrittenWithRandomBytes() throws Exception {
        Path file = threeWrites();
        damage(file, b -> {
            byte[] random = new byte[b.length];
            new Random(14).nextBytes(random);
            random[0] = 'x'; // neither '{' (first format) nor the header
            return random;
        });
        assertRefusedAndUntouched(file, "does not start with a kubeplatform state header");
    }

    @Test
    void refusesAFileWithBytesAppended() throws Exception {
        Path file = threeWrites();
        damage(file, b -> {
            byte[] longer = Arrays.copyOf(b, b.length + 3);
            longer[b.length] = '\n';
            return longer;
        });
        assertRefusedAndUntouched(file, "3 unexpected bytes follow");
    }

    @Test
    void refusesADeletedFileWhileBackupsExist() throws Exception {
        Path file = threeWrites();
        Files.delete(file);
        assertThatThrownBy(() -> store().read()).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("it is missing").hasMessageContaining("t.json.bak-2 (generation 2)");
        assertThatThrownBy(() -> store().update(s -> Update.to(s.with("d"), null)))
                .isInstanceOf(StoreCorruptedException.class);
        assertThat(file).doesNotExist();
    }

    @Test
    void restoresTheNewestIntactBackupAndKeepsTheDamagedFile() throws Exception {
        Path file = threeWrites();
        damage(file, b -> new byte[0]);
        AtomicFileStore<Items> store = store();

        AtomicFileStore.Restored restored = store.restore(Optional.empty());

        assertThat(restored.from()).isEqualTo("t.json.bak-2");
        assertThat(restored.generation()).isGreaterThan(2); // newer than every backup, so none is ever overwritten
        assertThat(store.read().items()).containsExactly("a", "b");
        assertThat(dir.resolve(restored.keptAs().orElseThrow())).isEmptyFile();
        assertThat(restored.keptAs().get()).startsWith("t.json.damaged-");
        store.update(s -> Update.to(s.with("e"), null));
        assertThat(store().read().items()).containsExactly("a", "b", "e");
        // the restored generation became a backup; the older backups are still there
        assertThat(dir.resolve("t.json.bak-" + restored.generation())).exists();
        assertThat(dir.resolve("t.json.bak-2")).exists();
    }

    @Test
    void skipsADamagedBackupWhenRestoring() throws Exception {
        Path file = threeWrites();
        damage(file, b -> new byte[0]);
        damage(dir.resolve("t.json.bak-2"), b -> Arrays.copyOf(b, 5));

        AtomicFileStore.Restored restored = store().restore(Optional.empty());

        assertThat(restored.from()).isEqualTo("t.json.bak-1");
        assertThat(store().read().items()).containsExactly("a");
        assertThat(store().verify()).filteredOn(c -> c.file().equals("t.json.bak-2"))
                .singleElement().matches(c -> !c.intact());
    }

    @Test
    void refusesToRestoreOverAnIntactFileUnlessAGenerationIsNamed() throws Exception {
        threeWrites();
        assertThatThrownBy(() -> store().restore(Optional.empty())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("t.json is intact").hasMessageContaining("[2, 1]");
        assertThat(store().read().items()).containsExactly("a", "b", "c");

        AtomicFileStore.Restored restored = store().restore(Optional.of(1L));

        assertThat(store().read().items()).containsExactly("a");
        assertThat(restored.keptAs().orElseThrow()).startsWith("t.json.replaced-");
        assertThat(Files.readString(dir.resolve(restored.keptAs().get()))).contains("[\"a\",\"b\",\"c\"]");
    }

    @Test
    void readsAFirstFormatFileAndRewritesItWithAHeaderKeepingTheOriginalAsBackup() throws Exception {
        Path file = dir.resolve("t.json");
        String first = "{\"format\":\"kubeplatform-state/1\",\"kind\":\"items\",\"data\":{\"items\":[\"old\"]}}";
        Files.writeString(file, first);

        assertThat(store().read().items()).containsExactly("old");
        store().update(s -> Update.to(s.with("new"), null));

        assertThat(Files.readString(file)).startsWith("kubeplatform-state/2 kind=items generation=1 ");
        assertThat(Files.readString(dir.resolve("t.json.bak-0"))).isEqualTo(first);
        assertThat(store().read().items()).containsExactly("old", "new");
    }

    @Test
    void refusesAFileFromANewerFormatVersion() throws Exception {
        Path file = dir.resolve("t.json");
        Files.writeString(file, "kubeplatform-state/3 kind=items generation=1 length=2 crc32c=00000000 zstd\n{}");
        assertThatThrownBy(() -> store().read()).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("format version 3").hasMessageContaining("No intact backup");
    }

    @Test
    void refusesToWriteAStateItsValidatorRejects() {
        AtomicFileStore<Items> store = AtomicFileStore.of(dir.resolve("v.json"), "items", Items.class,
                () -> new Items(List.of()), s -> s.items().contains("bad") ? List.of("items: 'bad' is not allowed")
                        : List.of(), FileIo.nio());
        store.update(s -> Update.to(s.with("good"), null));
        assertThatThrownBy(() -> store.update(s -> Update.to(s.with("bad"), null)))
                .isInstanceOf(StoreException.class).hasMessageContaining("items: 'bad' is not allowed");
        assertThat(store.read().items()).containsExactly("good");
    }
}
