package io.jenkins.plugins.kubeplatform.engine.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequireTest {

    @ParameterizedTest
    @CsvSource({"30s,PT30S", "5m,PT5M", "2h,PT2H", "1d,PT24H", "250ms,PT0.25S", "PT10M,PT10M", "pt1h,PT1H"})
    void parsesDurationsWhenWrittenShortOrIso(String text, String iso) {
        assertThat(Require.duration("timeout", text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "-5m", "five minutes", "5 m", ""})
    void rejectsDurationsNamingTheFieldWhenMalformed(String text) {
        assertThatThrownBy(() -> Require.duration("timeout", text))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("timeout: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"web", "a", "my-app-2", "x23456789012345678901234567890123456789012345678901234567890123"})
    void acceptsDnsLabelsWhenValid(String name) {
        assertThat(Require.dnsLabel("name", name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Web", "-a", "a-", "a.b", "a_b", "a b", "a\nb",
            "x234567890123456789012345678901234567890123456789012345678901234"})
    void rejectsDnsLabelsWhenInvalid(String name) {
        assertThatThrownBy(() -> Require.dnsLabel("name", name))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("name"))
                .hasMessageContaining("DNS-1123 label");
    }

    @ParameterizedTest
    @CsvSource({"1,1,10", "10,1,10"})
    void acceptsNumbersWhenInRange(int value, int min, int max) {
        assertThat(Require.range("replicas", value, min, max)).isEqualTo(value);
    }

    @ParameterizedTest
    @CsvSource({"0,1,10", "11,1,10"})
    void rejectsNumbersWhenOutOfRange(int value, int min, int max) {
        assertThatThrownBy(() -> Require.range("replicas", value, min, max))
                .hasMessage("replicas: must be between " + min + " and " + max + "; got " + value);
    }

    @Test
    void rendersControlCharactersVisiblyWhenPrinting() {
        assertThat(Require.printable("a\nb")).isEqualTo("a\\x0ab");
        assertThat(Require.printable("tab\there")).isEqualTo("tab\\x09here");
        assertThat(Require.printable("plain")).isEqualTo("plain");
    }
}
