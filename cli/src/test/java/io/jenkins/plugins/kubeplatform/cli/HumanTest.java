package io.jenkins.plugins.kubeplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanTest {

    @ParameterizedTest
    @CsvSource({"250, 250ms", "45000, 45s", "200000, 3m20s", "1800000, 30m", "8100000, 2h15m", "7200000, 2h",
            "273600000, 3d4h", "86400000, 1d"})
    void printsDurationsInTheLargestTwoUnitsWhenAsked(long millis, String expected) {
        assertThat(Human.duration(Duration.ofMillis(millis))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"2026-12-06T18:21:54.123456789Z, 2026-12-06T18:21:54Z", "2026-01-02T03:04:05Z, 2026-01-02T03:04:05Z"})
    void printsTimestampsAsRfc3339UtcToTheSecond(String instant, String expected) {
        assertThat(Human.timestamp(Instant.parse(instant))).isEqualTo(expected);
    }
}
