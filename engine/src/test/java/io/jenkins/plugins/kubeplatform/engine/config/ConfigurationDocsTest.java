package io.jenkins.plugins.kubeplatform.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.engine.schema.SettingsSection;
import io.jenkins.plugins.kubeplatform.engine.sections.ConfigSections;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md shows each declared section's table exactly as the declaration renders it, between
 * {@code <!-- section:NAME -->} and {@code <!-- /section:NAME -->}. On a difference the expected text is written to
 * target/configuration-tables/NAME.md to paste in.
 */
class ConfigurationDocsTest {

    static final Path DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void showsEveryDeclaredSectionAsDeclaredWhenTheDocsAreRead() throws IOException {
        String doc = Files.readString(DOC);
        for (SettingsSection section : ConfigSections.DECLARED) {
            String expected = ConfigSections.markdown(section);
            String begin = "<!-- section:" + section.path() + " -->\n";
            String end = "<!-- /section:" + section.path() + " -->";
            Path out = Path.of("target", "configuration-tables", section.path() + ".md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, expected);
            assertThat(doc).as("docs/configuration.md marks the table of section " + section.path()).contains(begin, end);
            String shown = doc.substring(doc.indexOf(begin) + begin.length(), doc.indexOf(end));
            assertThat(shown).as("the table of section " + section.path() + " in docs/configuration.md (expected: "
                    + out.toAbsolutePath() + ")").isEqualTo(expected);
        }
    }
}
