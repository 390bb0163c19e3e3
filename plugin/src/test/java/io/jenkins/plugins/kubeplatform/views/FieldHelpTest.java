package io.jenkins.plugins.kubeplatform.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every field a user can set, in a form or in Pipeline, has a help page beside its class. */
class FieldHelpTest {

    private static final Path CLASSES = Path.of("target/classes");

    @Test
    void findsHelpForEveryBoundFieldWhenScanningThePlugin() throws IOException {
        List<Class<?>> classes = BoundFields.boundClasses(CLASSES);
        List<String> missing = new ArrayList<>();
        int fields = 0;
        for (Class<?> c : classes) {
            for (BoundFields.Field f : BoundFields.fields(c)) {
                fields++;
                if (help(f).isEmpty()) {
                    missing.add(f.helpResource(c));
                }
            }
        }
        assertThat(classes).hasSizeGreaterThanOrEqualTo(15);
        assertThat(fields).isGreaterThanOrEqualTo(150);
        assertThat(missing).isEmpty();
    }

    @Test
    void helpSaysWhatTheFieldDoesWhenItExists() throws IOException {
        List<String> thin = new ArrayList<>();
        for (Class<?> c : BoundFields.boundClasses(CLASSES)) {
            for (BoundFields.Field f : BoundFields.fields(c)) {
                String text = help(f).orElse("");
                String plain = text.replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").trim();
                if (!text.isEmpty() && (plain.length() < 40 || !text.contains("<p>") && !text.contains("<div"))) {
                    thin.add(f.helpResource(c) + ": " + plain);
                }
            }
        }
        assertThat(thin).isEmpty();
    }

    @Test
    void reportsAMissingHelpFileWhenAFieldHasNone() {
        BoundFields.Field planted = new BoundFields.Field(FieldHelpTest.class, "noSuchField");
        assertThat(help(planted)).isEmpty();
        assertThat(planted.helpResource(FieldHelpTest.class))
                .isEqualTo("io/jenkins/plugins/kubeplatform/views/FieldHelpTest/help-noSuchField.html");
    }

    /** The help text Jenkins would find: on the class itself or, as Descriptor.getHelpFile does, a superclass. */
    private static java.util.Optional<String> help(BoundFields.Field f) {
        for (Class<?> c = f.owner(); c != null && c != Object.class; c = c.getSuperclass()) {
            URL url = FieldHelpTest.class.getClassLoader().getResource(f.helpResource(c));
            if (url != null) {
                try (var in = url.openStream()) {
                    return java.util.Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return java.util.Optional.empty();
    }
}
