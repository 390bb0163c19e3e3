package io.jenkins.plugins.kubeplatform.engine.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

    @ParameterizedTest
    @ValueSource(strings = {"nginx", "nginx:1.27", "library/nginx:1.27-alpine", "registry.example.com/team/app:1.0",
            "localhost:5000/app", "[::1]:5000/app:v1", "quay.io/containerdisks/ubuntu:22.04", "a__b/c-d.e:tag_1",
            "registry.example.test/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "Registry.Example.com/app:LATEST"})
    void acceptsReferencesOfTheGrammarWhenWellFormed(String reference) {
        assertThat(ImageReference.check("--image", reference)).isEqualTo(reference);
    }

    @ParameterizedTest
    @ValueSource(strings = {"img;}", "Nginx", "app:", "app@sha256:", "-app", "app/:1", "a b", "app:1\nx",
            "app:-tag", "registry.example.com//app", "app@sha256:xyz"})
    void rejectsReferencesOutsideTheGrammarNamingTheField(String reference) {
        assertThatThrownBy(() -> ImageReference.check("--image", reference))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--image")
                .hasMessageNotContaining("\n");
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 10_000})
    void rejectsOverlongNamesWhenBeyondTheLimit(int length) {
        String reference = "a".repeat(length);
        assertThatThrownBy(() -> ImageReference.check("--image", reference))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("at most");
    }
}
