package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.IpKey;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ipv6PoolTest {

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    private static IpPool pool(String allocation, String... ranges) {
        return PoolSettings.builder("v6").ranges(ranges).allocation(allocation).reclaimAfter("1h").build().toPool();
    }

    private static List<ReplicaIdentity> identities(String name, int n) {
        return IntStream.range(0, n).mapToObj(i -> new ReplicaIdentity("ns", name, i)).toList();
    }

    @Test
    void allocatesTheLowestAddressesOfA64AfterTheSubnetRouterAddressAndSkipsPodAddresses() {
        IpReservationLedger ledger = new IpReservationLedger(new JournaledLedgerStore(dir), clock, new Random(1));

        List<Reservation> got = ledger.reserveAddresses(pool("lowest", "fd00:10:42::/64"), identities("web", 3),
                Set.of(IpKey.parse("fd00:10:42::2").orElseThrow()), Set.of(), "job#1");

        assertThat(got).extracting(Reservation::ip).containsExactly("fd00:10:42::1", "fd00:10:42::3", "fd00:10:42::4");
    }

    @Test
    void keepsIpv6ReservationsAcrossAReopenAndHandsOutTheNextFreeOne() {
        IpPool pool = pool("lowest", "fd00:10:42::/64");
        new IpReservationLedger(new JournaledLedgerStore(dir), clock, new Random(1))
                .reserveAddresses(pool, identities("web", 2), Set.of(), Set.of(), "job#1");

        IpReservationLedger reopened = new IpReservationLedger(new JournaledLedgerStore(dir), clock, new Random(1));
        List<Reservation> again = reopened.reserveAddresses(pool, identities("web", 3), Set.of(), Set.of(), "job#2");

        assertThat(again).extracting(Reservation::ip).containsExactly("fd00:10:42::1", "fd00:10:42::2", "fd00:10:42::3");
    }

    @Test
    void spreadsRandomAllocationsOverTheWhole64() throws Exception {
        IpReservationLedger ledger = new IpReservationLedger(new JournaledLedgerStore(dir), clock, new Random(42));

        List<Reservation> got = ledger.reserveAddresses(pool("random", "fd00:10:42::/64"), identities("web", 200),
                Set.of(), Set.of(), "job#1");

        Set<String> distinct = new HashSet<>();
        int upperHalf = 0;
        for (Reservation r : got) {
            assertThat(distinct.add(r.ip())).isTrue();
            assertThat(r.ip()).startsWith("fd00:10:42:0:");
            BigInteger value = new BigInteger(1, java.net.InetAddress.getByName(r.ip()).getAddress());
            if (value.testBit(63)) {
                upperHalf++;
            }
        }
        // uniform starts over 2^64: about half land in the upper half of the lower 64 bits
        assertThat(upperHalf).isBetween(60, 140);
    }

    @Test
    void reportsAnExhaustedSmallIpv6PoolAndWritesNothing() {
        IpReservationLedger ledger = new IpReservationLedger(new JournaledLedgerStore(dir), clock, new Random(1));
        IpPool tiny = pool("lowest", "fd00:10:42::/126"); // ::1, ::2, ::3 (::0 is the subnet-router address)

        assertThatThrownBy(() -> ledger.reserveAddresses(tiny, identities("web", 4), Set.of(), Set.of(), "job#1"))
                .isInstanceOf(PoolExhaustedException.class);
        assertThat(ledger.list()).isEmpty();
        assertThat(ledger.reserveAddresses(tiny, identities("web", 3), Set.of(), Set.of(), "job#1"))
                .extracting(Reservation::ip).containsExactly("fd00:10:42::1", "fd00:10:42::2", "fd00:10:42::3");
    }

    @Test
    void refusesIpv6PoolsLargerThanA64AndTwoIpv6Parts() {
        assertThatThrownBy(() -> pool("lowest", "fd00:10::/48")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at most a /64");
        // one IPv4 and one IPv6 part is a dual-stack pool (DualStackLedgerTest); two IPv6 parts are refused
        assertThatThrownBy(() -> pool("lowest", "fd00:10:42::/64", "fd00:10:43::/64", "10.0.0.0/24"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> pool("lowest", "fd00:10:42::1/64")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("host bits set; the network is fd00:10:42::/64");
    }

    @Test
    void acceptsIpv4PoolsBeyondA12AndAllocatesInThem() {
        IpPool big = pool("lowest", "10.0.0.0/10"); // 4M addresses, four times the old /12 limit
        IpReservationLedger ledger = new IpReservationLedger(new JournaledLedgerStore(dir), clock, new Random(1));

        assertThat(big.addresses().size()).isEqualTo((1L << 22) - 2);
        assertThat(ledger.reserve(big, identities("web", 2), Set.of(), Set.of(), "job#1")).extracting(Reservation::ip)
                .containsExactly("10.0.0.1", "10.0.0.2");
    }
}
