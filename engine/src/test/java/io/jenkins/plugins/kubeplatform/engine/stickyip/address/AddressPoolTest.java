package io.jenkins.plugins.kubeplatform.engine.stickyip.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressPoolTest {

    private static AddressPool pool(String ranges, String excluded) {
        return AddressPool.of(
                Arrays.stream(ranges.split(";")).map(AddressRange::parse).toList(),
                excluded.isBlank() ? List.of() : Arrays.stream(excluded.split(";")).map(a -> Ipv4.parse(a).orElseThrow()).toList());
    }

    private static Set<Long> addresses(String list) {
        return list.isBlank() ? Set.of()
                : Arrays.stream(list.split(";")).map(a -> Ipv4.parse(a).orElseThrow()).collect(Collectors.toSet());
    }

    @ParameterizedTest(name = "{0} minus {1}, taken {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            // ranges                                  | excluded                | taken                               | expected
            "10.42.200.0/24                            |                         |                                     | 10.42.200.1",
            "10.42.200.0/24                            | 10.42.200.1             |                                     | 10.42.200.2",
            "10.42.200.0/24                            | 10.42.200.1             | 10.42.200.2;10.42.200.3             | 10.42.200.4",
            "10.0.0.0/30                               |                         | 10.0.0.1;10.0.0.2                   | none",
            "10.0.0.0/30;10.0.1.0/30                   |                         | 10.0.0.1;10.0.0.2                   | 10.0.1.1",
            "10.0.1.0/30;10.0.0.0/30                   |                         |                                     | 10.0.0.1",
            "10.0.0.5-10.0.0.6                         | 10.0.0.5                | 10.0.0.6                            | none",
            "10.0.0.5-10.0.0.9;10.0.0.7-10.0.0.12      |                         | 10.0.0.5;10.0.0.6;10.0.0.7;10.0.0.8 | 10.0.0.9",
            "10.0.0.255-10.0.1.1                       |                         | 10.0.0.255                          | 10.0.1.0",
            "10.0.0.9/32                               |                         |                                     | 10.0.0.9"})
    void handsOutTheLowestAllocatableAddress(String ranges, String excluded, String taken, String expected) {
        AddressPool pool = pool(ranges.trim(), excluded == null ? "" : excluded.trim());

        OptionalLong got = pool.allocate(Occupancy.of(addresses(taken == null ? "" : taken.trim())),
                AllocationOrder.LOWEST, new Random(1));

        assertThat(got.isPresent() ? Ipv4.format(got.getAsLong()) : "none").isEqualTo(expected.trim());
    }

    @ParameterizedTest(name = "{0} minus {1} has {2} addresses")
    @CsvSource(delimiter = '|', value = {
            "10.42.200.0/24 |  | 254",
            "10.42.200.0/24 | 10.42.200.1;10.42.200.254;10.42.201.1 | 252",
            "10.0.0.5-10.0.0.9;10.0.0.7-10.0.0.12 |  | 8",
            "10.0.0.0/30;10.0.0.4/30 |  | 4"})
    void countsOnlyAllocatableAddresses(String ranges, String excluded, long size) {
        assertThat(pool(ranges.trim(), excluded == null ? "" : excluded.trim()).size()).isEqualTo(size);
    }

    @Test
    void neverHandsOutNetworkBroadcastOrExcludedAddressesEvenWhenRandom() {
        AddressPool pool = pool("10.0.0.0/29", "10.0.0.3");
        Set<Long> handedOut = new HashSet<>();
        Random random = new Random(42);
        for (int i = 0; i < 10; i++) {
            OptionalLong next = pool.allocate(Occupancy.of(handedOut), AllocationOrder.RANDOM, random);
            next.ifPresent(handedOut::add);
        }

        assertThat(handedOut.stream().map(Ipv4::format)).containsExactlyInAnyOrder(
                "10.0.0.1", "10.0.0.2", "10.0.0.4", "10.0.0.5", "10.0.0.6");
    }

    @Test
    void randomOrderSpreadsOverThePool() {
        AddressPool pool = pool("10.42.0.0/16", "");
        Set<Long> firsts = new HashSet<>();
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            firsts.add(pool.allocate(Occupancy.none(), AllocationOrder.RANDOM, random).orElseThrow());
        }

        assertThat(firsts).hasSizeGreaterThan(15);
    }

    @Test
    void coversExcludedAddressesButDoesNotAllocateThem() {
        AddressPool pool = pool("10.42.200.0/24", "10.42.200.9");
        long excluded = Ipv4.parse("10.42.200.9").orElseThrow();

        assertThat(pool.covers(excluded)).isTrue();
        assertThat(pool.allocatable(excluded)).isFalse();
        assertThat(pool.covers(Ipv4.parse("10.42.200.0").orElseThrow())).isFalse();
        assertThat(pool.covers(Ipv4.parse("10.42.201.1").orElseThrow())).isFalse();
    }

    /** A "random" source that always starts at the given offset of the pool. */
    private static RandomGenerator startingAt(long offset) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("only bounded draws are expected");
            }

            @Override
            public long nextLong(long bound) {
                assertThat(offset).isLessThan(bound);
                return offset;
            }
        };
    }

    @Test
    void randomStartCountsOffsetsAcrossSeveralRanges() {
        AddressPool pool = pool("10.0.0.1-10.0.0.2;10.0.0.10-10.0.0.11", "");

        assertThat(Ipv4.format(pool.allocate(Occupancy.none(), AllocationOrder.RANDOM, startingAt(3)).orElseThrow()))
                .isEqualTo("10.0.0.11");
        assertThat(Ipv4.format(pool.allocate(Occupancy.none(), AllocationOrder.RANDOM, startingAt(2)).orElseThrow()))
                .isEqualTo("10.0.0.10");
        assertThat(Ipv4.format(pool.allocate(Occupancy.of(addresses("10.0.0.11")), AllocationOrder.RANDOM,
                startingAt(3)).orElseThrow())).isEqualTo("10.0.0.1");
    }

    @Test
    void randomAllocationFromAnEmptyPoolFindsNothing() {
        AddressPool empty = AddressPool.of(List.of(), List.of());

        assertThat(empty.size()).isZero();
        assertThat(empty.allocate(Occupancy.none(), AllocationOrder.RANDOM, new Random(1))).isEmpty();
        assertThat(empty.allocate(Occupancy.none(), AllocationOrder.LOWEST, new Random(1))).isEmpty();
    }

    @Test
    void handsOutAddressZeroWhenItIsInThePool() {
        AddressPool pool = pool("0.0.0.0", "");

        assertThat(pool.allocate(Occupancy.none(), AllocationOrder.LOWEST, new Random(1))).isEqualTo(OptionalLong.of(0));
    }

    @Test
    void mergesAdjacentRangesButKeepsRangesWithAGapApart() {
        assertThat(pool("10.0.0.6-10.0.0.9;10.0.0.1-10.0.0.5", "").ranges()).hasToString("[10.0.0.1-10.0.0.9]");
        assertThat(pool("10.0.0.1-10.0.0.5;10.0.0.7-10.0.0.9", "").ranges())
                .hasToString("[10.0.0.1-10.0.0.5, 10.0.0.7-10.0.0.9]");
    }

    @Test
    void findsAddressesInEveryOneOfManyRanges() {
        AddressPool pool = pool("10.0.0.1;10.0.0.3;10.0.0.5;10.0.0.7;10.0.0.9", "10.0.0.5");

        for (String inside : List.of("10.0.0.1", "10.0.0.3", "10.0.0.5", "10.0.0.7", "10.0.0.9")) {
            assertThat(pool.covers(Ipv4.parse(inside).orElseThrow())).as(inside).isTrue();
        }
        for (String outside : List.of("10.0.0.0", "10.0.0.2", "10.0.0.4", "10.0.0.6", "10.0.0.8", "10.0.0.10")) {
            assertThat(pool.covers(Ipv4.parse(outside).orElseThrow())).as(outside).isFalse();
        }
        assertThat(pool.allocatable(Ipv4.parse("10.0.0.7").orElseThrow())).isTrue();
        assertThat(pool.allocatable(Ipv4.parse("10.0.0.5").orElseThrow())).isFalse();
        assertThat(pool.allocatable(Ipv4.parse("10.0.0.8").orElseThrow())).isFalse();
        assertThat(pool.size()).isEqualTo(4);
    }

    @Test
    void describesItsRangesAndExclusions() {
        assertThat(pool("10.0.0.0/30", "10.0.0.2")).hasToString("[10.0.0.1-10.0.0.2] excluding [10.0.0.2]");
        assertThat(pool("10.0.0.0/30", "")).hasToString("[10.0.0.1-10.0.0.2]");
    }
}
