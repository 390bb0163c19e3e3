package io.jenkins.plugins.kubeplatform.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileStoreTest {

    record Items(List<String> items) {
        Items with(String item) {
            List<String> next = new ArrayList<>(items);
            next.add(item);
            return new Items(List.copyOf(next));
        }
    }

    @TempDir
    Path dir;

    private AtomicFileStore<Items> store(Path file) {
        return AtomicFileStore.of(file, "items", Items.class, () -> new Items(List.of()));
    }

    @Test
    void returnsEmptyStateWhenNothingWasWritten() {
        assertThat(store(dir.resolve("a.json")).read().items()).isEmpty();
    }

    @Test
    void losesNothingWhen32WritersRunConcurrently() throws Exception {
        Path file = dir.resolve("ledger.json");
        int writers = 32;
        int perWriter = 15;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            // each writer has its own store instance, as separate builds or processes would
            AtomicFileStore<Items> store = store(file);
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perWriter; i++) {
                    String item = id + "-" + i;
                    store.update(s -> Update.to(s.with(item), null));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();

        List<String> items = store(file).read().items();
        assertThat(items).hasSize(writers * perWriter).doesNotHaveDuplicates();
    }

    @Test
    void writesNothingWhenTheChangeIsUnchanged() throws Exception {
        Path file = dir.resolve("s.json");
        AtomicFileStore<Items> store = store(file);
        store.update(s -> Update.to(s.with("x"), null));
        var before = Files.getLastModifiedTime(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(0));

        String result = store.update(s -> Update.unchanged(s, "same"));

        assertThat(result).isEqualTo("same");
        assertThat(Files.getLastModifiedTime(file).toMillis()).isZero();
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
        assertThat(before).isNotNull();
    }

    @Test
    void refusesAndKeepsACorruptFile() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"format\":\"kubeplatform-state/1\",\"kind\":\"items\",\"data\":{\"items\":[\"a\"", StandardCharsets.UTF_8);
        AtomicFileStore<Items> store = store(file);

        assertThatThrownBy(store::read).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("left untouched");
        assertThatThrownBy(() -> store.update(s -> Update.to(s.with("b"), null)))
                .isInstanceOf(StoreCorruptedException.class);
        assertThat(Files.readString(file)).endsWith("[\"a\"");
    }

    @Test
    void refusesAFileOfAnotherKind() throws Exception {
        Path file = dir.resolve("other.json");
        AtomicFileStore.of(file, "inventory", Items.class, () -> new Items(List.of()))
                .update(s -> Update.to(s.with("vm"), null));

        assertThatThrownBy(() -> store(file).read()).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("kind 'items'");
    }

    @Test
    void leavesNoTemporaryFilesButThreeBackupsBehind() throws Exception {
        AtomicFileStore<Items> store = store(dir.resolve("t.json"));
        for (int i = 0; i < 5; i++) {
            String item = "i" + i;
            store.update(s -> Update.to(s.with(item), null));
        }
        try (var files = Files.list(dir)) {
            // five writes are generations 1..5; the previous files 2, 3 and 4 are the three kept backups
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("t.json", "t.json.lock",
                    "t.json.bak-2", "t.json.bak-3", "t.json.bak-4");
        }
    }
}
