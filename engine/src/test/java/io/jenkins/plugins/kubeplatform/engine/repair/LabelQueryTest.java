package io.jenkins.plugins.kubeplatform.engine.repair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Label keys and values are limited as the API server limits them (apimachinery IsQualifiedName, IsValidLabelValue). */
class LabelQueryTest {

    /** A DNS subdomain of exactly 253 characters: three 63-character labels and one of 61, joined by dots. */
    private static final String PREFIX_253 = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "."
            + "d".repeat(61);

    @Test
    void acceptsAKeyWithA253CharacterPrefixAndA63CharacterName() {
        String key = PREFIX_253 + "/" + "n".repeat(63);
        assertThat(key).hasSize(317);

        LabelQuery q = LabelQuery.parse("taskSelector", key + "=x");

        assertThat(q.matches(Map.of(key, "x"))).isTrue();
        assertThat(q.matches(Map.of(key, "y"))).isFalse();
    }

    @Test
    void refusesAKeyWhoseNameIsLongerThan63CharactersNamingTheField() {
        assertThatThrownBy(() -> LabelQuery.parse("taskSelector", "n".repeat(64)))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("taskSelector"));
        assertThatThrownBy(() -> LabelQuery.parse("taskSelector", "example.com/" + "n".repeat(64) + "=x"))
                .isInstanceOf(InvalidInputException.class);
        assertThat(LabelQuery.parse("taskSelector", "n".repeat(63)).terms()).hasSize(1);
    }

    @Test
    void refusesAKeyWhosePrefixIsLongerThan253Characters() {
        assertThatThrownBy(() -> LabelQuery.parse("taskSelector", "e" + PREFIX_253 + "/n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("must be a label selector");
    }

    @Test
    void refusesAKeyPrefixThatIsNotADnsSubdomainAsTheApiServerDoes() {
        // IsDNS1123Subdomain: dot-separated labels, each starting and ending with [a-z0-9]
        for (String key : new String[] {"example..com/pool", "example.-com/pool", "example-.com/pool", ".example/pool"}) {
            assertThatThrownBy(() -> LabelQuery.parse("taskSelector", key + "=a")).as(key)
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("taskSelector");
        }
        assertThat(LabelQuery.parse("taskSelector", "node.example.com/pool=a")
                .matches(Map.of("node.example.com/pool", "a"))).isTrue();
        assertThat(LabelQuery.parse("taskSelector", "a-1.b/pool").matches(Map.of("a-1.b/pool", ""))).isTrue();
    }

    @Test
    void acceptsA63CharacterValueAndRefuses64() {
        assertThat(LabelQuery.parse("s", "pool=" + "v".repeat(63)).matches(Map.of("pool", "v".repeat(63)))).isTrue();
        assertThatThrownBy(() -> LabelQuery.parse("s", "pool=" + "v".repeat(64)))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void matchesANodeWithoutLabelsOnlyByAbsence() {
        assertThat(LabelQuery.parse("s", "!spot").matches(null)).isTrue();
        assertThat(LabelQuery.parse("s", "pool").matches(null)).isFalse();
        assertThat(LabelQuery.ALL.matches(null)).isTrue();
    }

    @Test
    void isEmptyOnlyWithoutTermsAndPrintsAsWritten() {
        assertThat(LabelQuery.ALL.isEmpty()).isTrue();
        assertThat(LabelQuery.parse("s", "  ").isEmpty()).isTrue();
        assertThat(LabelQuery.parse("s", "pool=gpu").isEmpty()).isFalse();
        assertThat(LabelQuery.parse("s", " pool=gpu, !spot ")).hasToString("pool=gpu, !spot");
    }
}
