package io.jenkins.plugins.kubeplatform.engine.stickyip.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * SIP-3 for an IPv6 pool: never an excluded, reserved or taken address; the lowest free one, or the first free one
 * from a random start, wrapping to the range's start. The pool is the range fd00:10:42::0 to ::ff (256 addresses; a
 * range, not a /120, whose subnet-router anycast address ::0 would not be handed out) without ::5; the "random"
 * start is a fixed draw, so the expected address is worked out by hand.
 */
class AddressPoolIpv6AllocationTest {

    private static final AddressPool POOL = AddressPool.ipv6(Ipv6Range.parse("fd00:10:42::-fd00:10:42::ff"),
            List.of(ip("fd00:10:42::5")));

    private static IpKey ip(String text) {
        return IpKey.parse(text).orElseThrow();
    }

    private static IpKey low(long lo) {
        return new IpKey(ip("fd00:10:42::").hi(), lo);
    }

    private static RandomGenerator draws(long value) {
        return () -> value;
    }

    private static Set<IpKey> taken(long from, long to) {
        Set<IpKey> taken = new HashSet<>();
        for (long lo = from; lo <= to; lo++) {
            taken.add(low(lo));
        }
        return taken;
    }

    @Test
    void neverHandsOutTheSubnetRouterAnycastAddressOfACidr() {
        AddressPool cidr = AddressPool.ipv6(Ipv6Range.parse("fd00:10:42::/120"), List.of());

        assertThat(cidr.allocateIpv6(Optional.empty(), Set.of(), AllocationOrder.LOWEST, draws(0)))
                .contains(ip("fd00:10:42::1"));
        // 255 addresses (::1 to ::ff): a draw of 255 is offset 0, the first address
        assertThat(cidr.allocateIpv6(Optional.empty(), Set.of(), AllocationOrder.RANDOM, draws(255)))
                .contains(ip("fd00:10:42::1"));
    }

    @Test
    void handsOutTheLowestAddressThatIsNotTakenReservedOrExcluded() {
        IntervalSet reserved = new IntervalSet();
        reserved.add(2);
        reserved.add(3);
        reserved.add(4);

        assertThat(POOL.allocateIpv6(Optional.of(reserved), taken(0, 1), AllocationOrder.LOWEST, draws(0)))
                .contains(ip("fd00:10:42::6"));
    }

    @Test
    void startsARandomSearchAtTheDrawModuloTheRangeSizeReadUnsigned() {
        assertThat(POOL.allocateIpv6(Optional.empty(), Set.of(), AllocationOrder.RANDOM, draws(200)))
                .contains(ip("fd00:10:42::c8"));
        assertThat(POOL.allocateIpv6(Optional.empty(), Set.of(), AllocationOrder.RANDOM, draws(256 + 7)))
                .contains(ip("fd00:10:42::7"));
        // -1 is 2^64 - 1 unsigned; (2^64 - 1) mod 256 = 255
        assertThat(POOL.allocateIpv6(Optional.empty(), Set.of(), AllocationOrder.RANDOM, draws(-1)))
                .contains(ip("fd00:10:42::ff"));
    }

    @Test
    void wrapsToTheStartOfTheRangeWhenEverythingFromTheRandomStartIsTaken() {
        Set<IpKey> taken = taken(250, 255);
        taken.add(low(0));

        assertThat(POOL.allocateIpv6(Optional.empty(), taken, AllocationOrder.RANDOM, draws(250)))
                .contains(ip("fd00:10:42::1"));
        assertThat(POOL.allocateIpv6(Optional.empty(), taken(255, 255), AllocationOrder.RANDOM, draws(255)))
                .contains(ip("fd00:10:42::0"));
    }

    @Test
    void wrapsWhenTheReservationsRunToTheEndOfTheRange() {
        IntervalSet reserved = new IntervalSet();
        for (long lo = 250; lo <= 255; lo++) {
            reserved.add(lo);
        }
        reserved.add(0);

        assertThat(POOL.allocateIpv6(Optional.of(reserved), Set.of(), AllocationOrder.RANDOM, draws(250)))
                .contains(ip("fd00:10:42::1"));
    }

    @Test
    void findsNothingWhenEveryAddressButTheExcludedOneIsTaken() {
        Set<IpKey> all = taken(0, 255);
        all.remove(low(5));

        assertThat(POOL.allocateIpv6(Optional.empty(), all, AllocationOrder.LOWEST, draws(0))).isEmpty();
        assertThat(POOL.allocateIpv6(Optional.empty(), all, AllocationOrder.RANDOM, draws(3))).isEmpty();
        assertThat(POOL.allocateIpv6(Optional.empty(), all, AllocationOrder.RANDOM, draws(9))).isEmpty();
    }

    @Test
    void drawsTheStartFromAllOf2To64AddressesWhenTheRangeIsAWhole64() {
        AddressPool whole = AddressPool.ipv6(Ipv6Range.parse("fd00:10:42::-fd00:10:42::ffff:ffff:ffff:ffff"), List.of());

        // 2^64 addresses: every draw is an offset as it is (12345 = 0x3039; -1 is the last address)
        assertThat(whole.allocateIpv6(Optional.empty(), Set.of(), AllocationOrder.RANDOM, draws(12345)))
                .contains(ip("fd00:10:42::3039"));
        assertThat(whole.allocateIpv6(Optional.empty(), Set.of(), AllocationOrder.RANDOM, draws(-1)))
                .contains(ip("fd00:10:42::ffff:ffff:ffff:ffff"));
    }
}
