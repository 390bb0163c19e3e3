package io.jenkins.plugins.kubeplatform.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Restore, verify and the error wording of {@link AtomicFileStore} on the page-cache file system: a restore is
 * durable when it returns (its directory fsync is what makes the renamed file survive a power cut), verify names
 * each file's condition, and a damaged file's message says what is damaged.
 */
class AtomicFileStoreRecoveryTest {

    private static final Path DIR = Path.of("/pagecache/recovery");
    private static final Path FILE = DIR.resolve("t.json");

    record Items(List<String> items) {
        Items with(String item) {
            List<String> next = new ArrayList<>(items);
            next.add(item);
            return new Items(List.copyOf(next));
        }
    }

    enum Colour { RED, GREEN }

    record Painted(List<Colour> colours) {
    }

    private static AtomicFileStore<Items> store(FileIo io) {
        return AtomicFileStore.of(FILE, "items", Items.class, () -> new Items(List.of()),
                AtomicFileStore.Validator.none(), io);
    }

    /** Writes a, b, c: generation 3 with backups 1 ([a]) and 2 ([a, b]). */
    private static PageCacheFileSystem threeWrites() {
        PageCacheFileSystem fs = new PageCacheFileSystem();
        AtomicFileStore<Items> store = store(fs);
        for (String item : List.of("a", "b", "c")) {
            store.update(s -> Update.to(s.with(item), null));
        }
        return fs;
    }

    private static String damage(PageCacheFileSystem fs, String content) {
        fs.replace(FILE, content.getBytes(StandardCharsets.UTF_8));
        AtomicFileStore<Items> store = store(fs);
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(store::read);
        assertThat(t).isInstanceOf(StoreCorruptedException.class);
        return t.getMessage();
    }

    @Test
    void keepsTheRestoredFileWhenPowerIsCutRightAfterTheRestore() throws Exception {
        PageCacheFileSystem fs = threeWrites();
        fs.replace(FILE, "garbage".getBytes(StandardCharsets.UTF_8));

        AtomicFileStore.Restored restored = store(fs).restore(Optional.empty());

        assertThat(restored.from()).isEqualTo("t.json.bak-2");
        assertThat(restored.fromGeneration()).isEqualTo(2);
        assertThat(restored.generation()).isEqualTo(3); // one past the newest backup (the damaged file has none)
        PageCacheFileSystem rebooted = fs.afterPowerCut(PageCacheFileSystem.Loss.ALL_UNSYNCED, 1);
        assertThat(store(rebooted).read().items()).containsExactly("a", "b");
        assertThat(new String(rebooted.readAllBytes(DIR.resolve(restored.keptAs().orElseThrow())),
                StandardCharsets.UTF_8)).isEqualTo("garbage");
    }

    @Test
    void numbersTheRestoredGenerationAfterTheCurrentFileWhenAnIntactFileIsRolledBack() throws Exception {
        PageCacheFileSystem fs = threeWrites();

        AtomicFileStore.Restored restored = store(fs).restore(Optional.of(1L));

        assertThat(restored.from()).isEqualTo("t.json.bak-1");
        assertThat(restored.generation()).isEqualTo(4); // the intact file was generation 3
        assertThat(store(fs).read().items()).containsExactly("a");
        assertThat(store(fs).verify().get(0).detail()).startsWith("intact, generation 4, ");
    }

    @Test
    void refusesARestoreWhenTheNamedBackupIsMissingOrDamaged() throws Exception {
        PageCacheFileSystem fs = threeWrites();
        fs.replace(FILE, new byte[0]);

        assertThatThrownBy(() -> store(fs).restore(Optional.of(7L))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("there is no backup t.json.bak-7; backups: [t.json.bak-2, t.json.bak-1]");
        fs.replace(DIR.resolve("t.json.bak-1"), "{".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store(fs).restore(Optional.of(1L))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("t.json.bak-1 is damaged itself: it is a first-format (unchecksummed) file "
                        + "that is not valid JSON");
        fs.replace(DIR.resolve("t.json.bak-2"), new byte[0]);
        assertThatThrownBy(() -> store(fs).restore(Optional.empty())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no intact backup of t.json exists; backups: [t.json.bak-2, t.json.bak-1]");
    }

    @Test
    void describesEachFileWhenVerifyingAMissingFileAndItsBackups() throws Exception {
        PageCacheFileSystem fresh = new PageCacheFileSystem();
        assertThat(store(fresh).verify()).containsExactly(
                new AtomicFileStore.FileCheck("t.json", false, true, 0, "absent (nothing recorded yet)"));

        PageCacheFileSystem fs = threeWrites();
        fs.deleteIfExists(FILE);
        List<AtomicFileStore.FileCheck> checks = store(fs).verify();

        assertThat(checks).hasSize(3);
        assertThat(checks.get(0)).isEqualTo(
                new AtomicFileStore.FileCheck("t.json", false, false, 0, "missing while 2 backup(s) exist"));
        assertThat(checks.get(1).file()).isEqualTo("t.json.bak-2");
        assertThat(checks.get(1).backup()).isTrue();
        assertThat(checks.get(1).intact()).isTrue();
        assertThat(checks.get(1).generation()).isEqualTo(2);
        assertThat(checks.get(1).detail()).matches("intact, generation 2, \\d+ bytes");
        assertThat(checks.get(2).generation()).isEqualTo(1);
        assertThatThrownBy(() -> store(fs).read()).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("it is missing (deleted or moved?) while 2 backup(s) of it exist");
    }

    @Test
    void describesAFirstFormatFileWhenVerifying() throws Exception {
        PageCacheFileSystem fs = new PageCacheFileSystem();
        fs.createDirectories(DIR);
        String first = "{\"format\":\"kubeplatform-state/1\",\"kind\":\"items\",\"data\":{\"items\":[\"old\"]}}";
        fs.replace(FILE, first.getBytes(StandardCharsets.UTF_8));

        assertThat(store(fs).verify()).containsExactly(new AtomicFileStore.FileCheck("t.json", false, true, 0,
                "intact (first format, no checksum; the next change rewrites it), " + first.length() + " bytes"));
    }

    @Test
    void namesWhatIsDamagedWhenAFileHasAnUnreadableHeaderOrContent() throws Exception {
        PageCacheFileSystem fs = threeWrites();

        assertThat(damage(fs, "kubeplatform-state/2 kind=items\u0001 gen\n{}"))
                .contains("its header line is damaged: 'kubeplatform-state/2 kind=items? gen'");
        String longHeader = "kubeplatform-state/2 kind=items generation=1 length=2 crc32c=zzzzzzzz" + "x".repeat(80);
        assertThat(damage(fs, longHeader + "\n{}"))
                .contains("its header line is damaged: '" + longHeader.substring(0, 80) + "...'");
        assertThat(damage(fs, "kubeplatform-state/2 kind=other generation=1 length=2 crc32c=00000000\n{}"))
                .contains("it holds kind 'other', expected kind 'items' (another store's file?)");
        assertThat(damage(fs, "kubeplatform-state/2 kind=items generation=1 length=5 crc32c=00000000\n{}"))
                .contains("it is truncated: the header promises 5 bytes of content, 2 are present");
        assertThat(damage(fs, "kubeplatform-state/2 kind=items generation=1 length=1 crc32c=00000000\n{}"))
                .contains("1 unexpected bytes follow the 1 bytes of content");
        String noNewline = "kubeplatform-state/2 kind=items generation=1 length=2 crc32c=00000000";
        assertThat(damage(fs, noNewline)).contains("its header line is incomplete (" + noNewline.length()
                + " bytes: truncated or damaged)");
        assertThat(damage(fs, "{\"format\":\"kubeplatform-state/1\",\"kind\":\"other\",\"data\":{}}"))
                .contains("expected format 'kubeplatform-state/1' and kind 'items', found format "
                        + "'kubeplatform-state/1' and kind 'other'");
        assertThat(damage(fs, "{\"format\":\"kubeplatform-state/1\",\"kind\":\"items\"}")).contains("it has no data");
        String content = "{\"items\":\"not a list\"}";
        assertThat(damage(fs, withHeader("items", 9, content))).contains("record items is malformed");
        assertThat(damage(fs, withHeader("items", 9, "[1,"))).contains("its content passes its checksum but is not JSON");
    }

    @Test
    void namesTheRecordAndTheAllowedValuesWhenAFieldHoldsAnUnknownEnumValue() {
        PageCacheFileSystem fs = new PageCacheFileSystem();
        AtomicFileStore<Painted> store = AtomicFileStore.of(FILE, "paint", Painted.class,
                () -> new Painted(List.of()), AtomicFileStore.Validator.none(), fs);
        store.update(p -> Update.to(new Painted(List.of(Colour.RED)), null));
        fs.replace(FILE, withHeader("paint", 2, "{\"colours\":[\"RED\",\"BLUE\"]}").getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(store::read).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("record colours[1] holds 'BLUE', which is not a valid Colour (one of [RED, GREEN])");
    }

    @Test
    void namesTheRuleWhenTheRecordsFailValidationOnRead() {
        PageCacheFileSystem fs = new PageCacheFileSystem();
        AtomicFileStore<Items> plain = store(fs);
        plain.update(s -> Update.to(s.with("bad"), null));
        AtomicFileStore<Items> strict = AtomicFileStore.of(FILE, "items", Items.class, () -> new Items(List.of()),
                s -> s.items().contains("bad") ? List.of("items: 'bad' is not allowed") : List.of(), fs);
        AtomicFileStore<Items> throwing = AtomicFileStore.of(FILE, "items", Items.class, () -> new Items(List.of()),
                s -> {
                    throw new IllegalStateException("boom");
                }, fs);

        assertThatThrownBy(strict::read).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("its records break the rules: items: 'bad' is not allowed");
        assertThatThrownBy(throwing::read).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("its records fail validation: java.lang.IllegalStateException: boom");
    }

    @Test
    void refusesAKindThatIsNotOneWord() {
        assertThatThrownBy(() -> AtomicFileStore.of(FILE, "two words", Items.class, () -> new Items(List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a store kind is one word: two words");
        assertThat(AtomicFileStore.of(FILE, "items", Items.class, () -> new Items(List.of())).kind()).isEqualTo("items");
        assertThat(AtomicFileStore.of(FILE, "items", Items.class, () -> new Items(List.of())).file()).isEqualTo(FILE);
    }

    /** A version-2 file around {@code content} with a correct checksum (CRC-32C over kind, generation, content). */
    private static String withHeader(String kind, long generation, String content) {
        byte[] c = content.getBytes(StandardCharsets.UTF_8);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update((kind + "\n" + generation + "\n").getBytes(StandardCharsets.UTF_8));
        crc.update(c);
        return "kubeplatform-state/2 kind=" + kind + " generation=" + generation + " length=" + c.length
                + " crc32c=" + String.format("%08x", crc.getValue()) + "\n" + content;
    }
}
