package io.jenkins.plugins.kubeplatform.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real file system behind {@link FileIo#nio()}: each operation does what its contract says, on a temp dir. */
class FileIoNioTest {

    @TempDir
    Path dir;

    private final FileIo io = FileIo.nio();

    @Test
    void writesAndReadsBackAFileWhenOpenedForWriting() throws Exception {
        Path f = dir.resolve("a");
        try (FileChannel out = io.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            FileIo.writeFully(out, ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
            out.force(true);
        }

        assertThat(io.readAllBytes(f)).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(f)).isEqualTo("hello");
        assertThat(io.exists(f)).isTrue();
        assertThat(io.isDirectory(f)).isFalse();
        assertThat(io.isDirectory(dir)).isTrue();
        assertThat(io.exists(dir.resolve("b"))).isFalse();
    }

    @Test
    void renamesOverAnExistingTargetWhenAskedToReplace() throws Exception {
        // without replace, java.nio leaves an existing target to the platform (Linux rename(2) replaces it), so
        // only a move to a fresh name is checked for that case
        Path from = Files.writeString(dir.resolve("from"), "new");
        Path to = Files.writeString(dir.resolve("to"), "old");

        io.move(from, to, true);

        assertThat(Files.readString(to)).isEqualTo("new");
        assertThat(from).doesNotExist();
        Path other = Files.writeString(dir.resolve("other"), "x");
        io.move(other, dir.resolve("fresh"), false);
        assertThat(Files.readString(dir.resolve("fresh"))).isEqualTo("x");
    }

    @Test
    void listsADirectorySortedAndNothingWhenItIsMissingOrAFile() throws Exception {
        Files.writeString(dir.resolve("c"), "");
        Files.writeString(dir.resolve("a"), "");
        Files.writeString(dir.resolve("b"), "");

        assertThat(io.list(dir)).containsExactly(dir.resolve("a"), dir.resolve("b"), dir.resolve("c"));
        assertThat(io.list(dir.resolve("missing"))).isEmpty();
        assertThat(io.list(dir.resolve("a"))).isEmpty();
    }

    @Test
    void linksDeletesAndCreatesDirectoriesWhenAsked() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "data");
        io.link(dir.resolve("g"), f);
        assertThat(Files.readString(dir.resolve("g"))).isEqualTo("data");
        assertThat(Files.isSameFile(f, dir.resolve("g"))).isTrue();

        assertThat(io.deleteIfExists(f)).isTrue();
        assertThat(io.deleteIfExists(f)).isFalse();
        assertThat(f).doesNotExist();

        io.createDirectories(dir.resolve("x/y"));
        assertThat(dir.resolve("x/y")).isDirectory();
    }

    @Test
    void syncsAnExistingDirectoryAndFailsForAMissingOneOnLinux() throws Exception {
        io.fsyncDirectory(dir); // no exception

        assertThatThrownBy(() -> io.fsyncDirectory(dir.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> io.readAllBytes(dir.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
    }
}
