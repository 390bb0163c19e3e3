package io.jenkins.plugins.kubeplatform.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every view of the plugin parses as Stapler parses it, its i18n arguments resolve, and it escapes its output. */
class ViewsParseTest {

    private static final Path VIEWS = Path.of("src/main/resources");
    private static final Path FIXTURES = Path.of("src/test/resources/views-fixtures");

    @Test
    void parsesEveryViewWhenReadWithStaplersExpressionFactory() throws IOException {
        List<Path> views = jellyFiles(VIEWS);
        StaplerViewParser parser = new StaplerViewParser();
        for (Path view : views) {
            parser.check(view);
        }
        assertThat(views).hasSizeGreaterThanOrEqualTo(20);
        assertThat(parser.problems()).map(Object::toString).isEmpty();
    }

    @Test
    void namesFileAndLineWhenALabelIsReadAsAnArgumentList() throws IOException {
        StaplerViewParser parser = new StaplerViewParser();
        parser.check(FIXTURES.resolve("broken.jelly"));
        assertThat(parser.problems()).singleElement().satisfies(p -> {
            assertThat(p.file().getFileName()).hasToString("broken.jelly");
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.message()).contains("empty: default");
        });
    }

    @Test
    void reportsArgumentsWhenTheKeyHasNoMessage() throws IOException {
        StaplerViewParser parser = new StaplerViewParser();
        parser.check(FIXTURES.resolve("dropped.jelly"));
        assertThat(parser.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).contains("key 'Location '").contains("2 argument(s)");
        });
    }

    @Test
    void acceptsArgumentsWhenTheKeyHasAMessage() throws IOException {
        StaplerViewParser parser = new StaplerViewParser();
        parser.check(FIXTURES.resolve("resolved.jelly"));
        assertThat(parser.problems()).isEmpty();
    }

    @Test
    void reportsRawOutputWhenEscapingIsOffOrBypassed() throws IOException {
        StaplerViewParser parser = new StaplerViewParser();
        parser.check(FIXTURES.resolve("unescaped.jelly"));
        assertThat(parser.problems()).map(StaplerViewParser.Problem::line).containsExactlyInAnyOrder(1, 2);
    }

    private static List<Path> jellyFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".jelly")).sorted().toList();
        }
    }
}
