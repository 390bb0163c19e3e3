package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger table against a model: a {@link HashMap} by (identity, family) and one by address, kept beside the table over
 * thousands of random reservations, moves and releases. The table's open-addressing indexes delete by shifting
 * entries back; a wrong shift loses or duplicates a reservation, which the model tells at once.
 */
class LedgerTableModelTest {

    private static final String[] POOLS = {"blue", "green", "six"};
    private static final String[] NODES = {null, "node-a", "node-b", "node-c"};
    private static final String[] OWNERS = {null, "job#1", "job#2"};

    @TempDir
    Path dir;

    /** An address of the small test space: 10.7.0.0 + index (IPv4) or fd00:7::index (IPv6, every fifth). */
    private static String ip(int index) {
        return index % 5 == 4 ? "fd00:7::" + Integer.toHexString(index + 1)
                : "10.7." + (index / 256) + "." + (index % 256);
    }

    private static long ipv4Value(int index) {
        return (10L << 24) | (7L << 16) | index;
    }

    private static Reservation random(Random random, String identity, String ip) {
        boolean idle = random.nextBoolean();
        // created spans before and after 1970, so that negative nanosecond values round-trip
        Instant created = Instant.ofEpochSecond(random.nextInt(200_000_000) - 100_000_000L, random.nextInt(1_000_000_000));
        return new Reservation(identity, POOLS[random.nextInt(POOLS.length)], ip,
                random.nextInt(4) == 0 ? Reservation.Kind.ADOPTED : Reservation.Kind.MANAGED,
                idle ? Reservation.State.IDLE : Reservation.State.ACTIVE, NODES[random.nextInt(NODES.length)],
                idle ? created.plusSeconds(random.nextInt(1000)) : null, OWNERS[random.nextInt(OWNERS.length)],
                created, random.nextInt(1000), random.nextInt(6) == 0
                ? new Reservation.PinRelease(created.plusSeconds(5), "node-a", "node node-a was deleted") : null);
    }

    /** The table answers every identity and every address of the space as the model does. */
    private static void assertSameAs(LedgerTable table, Map<String, Reservation> byIdentity, Map<String, String> byIp,
                                     int identities, int addresses) {
        assertThat(table.size()).isEqualTo(byIdentity.size());
        for (int i = 0; i < identities; i++) {
            String id = "ns/app-" + i;
            List<Reservation> held = heldIn(byIdentity, id);
            assertThat(table.get(id)).as(id).isEqualTo(held.stream().findFirst());
            assertThat(table.held(id)).as(id).isEqualTo(held);
        }
        for (int a = 0; a < addresses; a++) {
            String ip = ip(a);
            String holder = byIp.get(ip);
            assertThat(table.holderOf(ip).map(Reservation::identity)).as(ip)
                    .isEqualTo(java.util.Optional.ofNullable(holder));
            if (a % 5 != 4) {
                assertThat(table.reserved().isTaken(ipv4Value(a))).as(ip).isEqualTo(holder != null);
            }
        }
        List<Reservation> all = new ArrayList<>(table.all());
        assertThat(all).hasSize(byIdentity.size());
        assertThat(all).containsExactlyInAnyOrderElementsOf(byIdentity.values());
    }

    /** The model's reservations of one identity, IPv4 first (a dual-stack identity holds one per family). */
    private static List<Reservation> heldIn(Map<String, Reservation> model, String identity) {
        return model.values().stream().filter(r -> r.identity().equals(identity))
                .sorted(Comparator.comparing((Reservation r) -> r.ip().contains(":"))).toList();
    }

    @Test
    void answersLikeAHashMapWhenThousandsOfReservationsAreMovedAndReleased() {
        Random random = new Random(20261207L);
        int identities = 400;
        int addresses = 700;
        LedgerTable table = new LedgerTable();
        Map<String, Reservation> byIdentity = new HashMap<>();
        Map<String, String> byIp = new HashMap<>();
        int removals = 0;
        for (int step = 0; step < 12_000; step++) {
            String id = "ns/app-" + random.nextInt(identities);
            // phases: grow to many entries, then release most of them, then grow again
            int phase = (step / 3000) % 2;
            boolean remove = random.nextInt(10) < (phase == 0 ? 3 : 7);
            if (remove) {
                // a Remove releases the identity's reservations of both families
                for (boolean ipv4 : new boolean[] {true, false}) {
                    Reservation gone = byIdentity.remove(LedgerTable.familyKey(id, ipv4));
                    if (gone != null) {
                        byIp.remove(gone.ip());
                        removals++;
                    }
                }
                table.apply(new LedgerChange.Remove(id));
            } else {
                String ip = ip(random.nextInt(addresses));
                String holder = byIp.get(ip);
                if (holder != null && !holder.equals(id)) {
                    continue; // the address is someone else's; the store never asks that
                }
                Reservation r = random(random, id, ip);
                // a Put replaces the identity's reservation of the same family only
                Reservation previous = byIdentity.put(LedgerTable.familyKey(id, !ip.contains(":")), r);
                if (previous != null) {
                    byIp.remove(previous.ip());
                }
                byIp.put(ip, id);
                table.apply(new LedgerChange.Put(r));
            }
            assertThat(table.held(id)).as("step %d", step).isEqualTo(heldIn(byIdentity, id));
            if (step % 500 == 0) {
                assertSameAs(table, byIdentity, byIp, identities, addresses);
            }
        }
        assertSameAs(table, byIdentity, byIp, identities, addresses);
        assertThat(removals).isGreaterThan(2000);
    }

    @Test
    void findsEveryRemainingEntryWhenEntriesAreReleasedOneByOneInEveryOrder() {
        // many entries, then release them in a random order checking all the others after each release:
        // every backward shift of the open-addressing index is checked against the survivors
        Random random = new Random(7L);
        for (int round = 0; round < 4; round++) {
            int n = 40 + round * 60;
            LedgerTable table = new LedgerTable();
            Map<String, Reservation> byIdentity = new HashMap<>();
            Map<String, String> byIp = new HashMap<>();
            for (int i = 0; i < n; i++) {
                Reservation r = random(random, "ns/app-" + i, ip(i));
                table.apply(new LedgerChange.Put(r));
                byIdentity.put(r.identity(), r);
                byIp.put(r.ip(), r.identity());
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                order.add(i);
            }
            java.util.Collections.shuffle(order, random);
            for (int i : order) {
                Reservation gone = byIdentity.remove("ns/app-" + i);
                byIp.remove(gone.ip());
                table.apply(new LedgerChange.Remove("ns/app-" + i));
                assertSameAs(table, byIdentity, byIp, n, n);
            }
            assertThat(table.size()).isZero();
            assertThat(table.all()).isEmpty();
            assertThat(table.reservedIpv6(0xfd00_0007_0000_0000L)).isEmpty();
        }
    }

    @Test
    void reusesTheSlotsAndStringsOfReleasedReservationsWhenNewOnesArrive() {
        LedgerTable table = new LedgerTable();
        Instant t = Instant.parse("2026-12-07T00:00:00Z");
        for (int i = 0; i < 100; i++) {
            table.apply(new LedgerChange.Put(new Reservation("ns/old-" + i, "pool-" + i, ip(i * 5 % 500),
                    Reservation.Kind.MANAGED, Reservation.State.ACTIVE, "node-" + i, null, "owner-" + i, t, i)));
        }
        for (int i = 0; i < 100; i++) {
            table.apply(new LedgerChange.Remove("ns/old-" + i));
        }
        List<Reservation> fresh = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Reservation r = new Reservation("ns/new-" + i, "p" + (i % 3), ip(i * 5 % 500), Reservation.Kind.ADOPTED,
                    Reservation.State.IDLE, "n" + (i % 2), t.plusSeconds(i), null, t.minusSeconds(i), 1000 + i);
            fresh.add(r);
            table.apply(new LedgerChange.Put(r));
        }

        assertThat(table.size()).isEqualTo(100);
        assertThat(table.all()).containsExactlyInAnyOrderElementsOf(fresh);
        for (int i = 0; i < 100; i++) {
            assertThat(table.get("ns/old-" + i)).isEmpty();
        }
    }

    @Test
    void forgetsAnIpv6NetworkWhenItsLastAddressIsReleased() {
        LedgerTable table = new LedgerTable();
        Instant t = Instant.parse("2026-12-07T00:00:00Z");
        table.apply(new LedgerChange.Put(new Reservation("v6/a", "six", "fd00:7::1", Reservation.Kind.MANAGED,
                Reservation.State.ACTIVE, null, null, null, t, 1)));
        table.apply(new LedgerChange.Put(new Reservation("v6/b", "six", "fd00:7::2", Reservation.Kind.MANAGED,
                Reservation.State.ACTIVE, null, null, null, t, 1)));
        long upper = 0xfd00_0007_0000_0000L;

        table.apply(new LedgerChange.Remove("v6/a"));
        assertThat(table.reservedIpv6(upper)).hasValueSatisfying(set -> {
            assertThat(set.contains(1)).isFalse();
            assertThat(set.contains(2)).isTrue();
        });
        table.apply(new LedgerChange.Remove("v6/b"));
        assertThat(table.reservedIpv6(upper)).isEmpty();
        // IPv4 occupancy is unaffected by IPv6 releases, and an IPv4 release leaves it empty but present
        table.apply(new LedgerChange.Put(new Reservation("v4/a", "blue", "10.7.0.9", Reservation.Kind.MANAGED,
                Reservation.State.ACTIVE, null, null, null, t, 1)));
        table.apply(new LedgerChange.Remove("v4/a"));
        assertThat(table.reserved().isTaken(ipv4Value(9))).isFalse();
        assertThat(table.reserved().nextUntaken(ipv4Value(9), ipv4Value(12))).isEqualTo(ipv4Value(9));
    }

    @Test
    void movesAnIdentityToANewAddressWhenItIsPutAgain() {
        LedgerTable table = new LedgerTable();
        Instant t = Instant.parse("2026-12-07T00:00:00Z");
        table.apply(new LedgerChange.Put(new Reservation("ns/a", "blue", "10.7.0.1", Reservation.Kind.MANAGED,
                Reservation.State.ACTIVE, null, null, null, t, 1)));
        table.apply(new LedgerChange.Put(new Reservation("ns/a", "blue", "10.7.0.2", Reservation.Kind.MANAGED,
                Reservation.State.ACTIVE, null, null, null, t, 2)));

        assertThat(table.size()).isEqualTo(1);
        assertThat(table.holderOf("10.7.0.1")).isEmpty();
        assertThat(table.holderOf("10.7.0.2")).map(Reservation::revision).contains(2L);
        assertThat(table.reserved().nextUntaken(ipv4Value(1), ipv4Value(3))).isEqualTo(ipv4Value(1));
        assertThat(table.reserved().nextUntaken(ipv4Value(2), ipv4Value(2))).isEqualTo(-1);
        assertThat(table.holderOf("not-an-ip")).isEmpty();
    }

    @Test
    void pagesThroughTheReservationsSkippingReleasedSlotsWhenALimitIsGiven() {
        LedgerTable table = new LedgerTable();
        Instant t = Instant.parse("2026-12-07T00:00:00Z");
        for (int i = 0; i < 6; i++) {
            table.apply(new LedgerChange.Put(new Reservation("ns/p" + i, "blue", "10.7.0." + (i + 1),
                    Reservation.Kind.MANAGED, Reservation.State.ACTIVE, null, null, null, t, i)));
        }
        table.apply(new LedgerChange.Remove("ns/p1"));
        List<String> seen = new ArrayList<>();

        int next = table.page(0, 2, r -> seen.add(r.identity()));
        assertThat(seen).containsExactly("ns/p0", "ns/p2");
        assertThat(next).isEqualTo(3);
        next = table.page(next, 2, r -> seen.add(r.identity()));
        assertThat(seen).containsExactly("ns/p0", "ns/p2", "ns/p3", "ns/p4");
        assertThat(next).isEqualTo(5);
        next = table.page(next, 2, r -> seen.add(r.identity()));
        assertThat(seen).containsExactly("ns/p0", "ns/p2", "ns/p3", "ns/p4", "ns/p5");
        assertThat(next).isEqualTo(-1);

        List<String> whole = new ArrayList<>();
        assertThat(table.page(0, 5, r -> whole.add(r.identity()))).isEqualTo(-1);
        assertThat(whole).hasSize(5);
        assertThat(table.page(0, 0, r -> whole.add(r.identity()))).isZero();
        assertThat(whole).hasSize(5);
    }

    @Test
    void refusesAChangeListThatGivesOneAddressToTwoIdentitiesButAllowsAHandOver() {
        LedgerTable table = new LedgerTable();
        Instant t = Instant.parse("2026-12-07T00:00:00Z");
        Reservation a = new Reservation("ns/a", "blue", "10.7.0.1", Reservation.Kind.MANAGED,
                Reservation.State.ACTIVE, null, null, null, t, 1);
        table.apply(new LedgerChange.Put(a));
        Reservation bOnA = new Reservation("ns/b", "blue", "10.7.0.1", Reservation.Kind.MANAGED,
                Reservation.State.ACTIVE, null, null, null, t, 1);
        Reservation aMoved = new Reservation("ns/a", "blue", "10.7.0.2", Reservation.Kind.MANAGED,
                Reservation.State.ACTIVE, null, null, null, t, 2);
        Reservation cOnA2 = new Reservation("ns/c", "blue", "10.7.0.2", Reservation.Kind.MANAGED,
                Reservation.State.ACTIVE, null, null, null, t, 1);

        assertThatThrownBy(() -> table.check(List.of(new LedgerChange.Put(bOnA))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ledger invariant: 10.7.0.1 is held by ns/a and cannot also be given to ns/b");
        // a moves away first, then b takes its old address: allowed
        table.check(List.of(new LedgerChange.Put(aMoved), new LedgerChange.Put(bOnA)));
        // a is released first, then b takes the address: allowed
        table.check(List.of(new LedgerChange.Remove("ns/a"), new LedgerChange.Put(bOnA)));
        // a moves to .2 within the list, then c wants .2: refused, named after the list's own holder
        assertThatThrownBy(() -> table.check(List.of(new LedgerChange.Put(aMoved), new LedgerChange.Put(cOnA2))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ledger invariant: 10.7.0.2 is held by ns/a and cannot also be given to ns/c");
        // a moves twice: its first new address .2 is free again for c
        Reservation aThird = new Reservation("ns/a", "blue", "10.7.0.3", Reservation.Kind.MANAGED,
                Reservation.State.ACTIVE, null, null, null, t, 3);
        table.check(List.of(new LedgerChange.Put(aMoved), new LedgerChange.Put(aThird), new LedgerChange.Put(cOnA2)));
        // check changes nothing
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.get("ns/a")).contains(a);
    }

    @Test
    void writesAndReadsBackASnapshotOfATableWithManyReleasedSlots() throws IOException {
        Random random = new Random(99L);
        LedgerTable table = new LedgerTable();
        Map<String, Reservation> byIdentity = new HashMap<>();
        for (int i = 0; i < 600; i++) {
            Reservation r = random(random, "ns/app-" + i, ip(i));
            table.apply(new LedgerChange.Put(r));
            byIdentity.put(r.identity(), r);
        }
        Set<Integer> released = new TreeSet<>();
        while (released.size() < 350) {
            released.add(random.nextInt(600));
        }
        for (int i : released) {
            table.apply(new LedgerChange.Remove("ns/app-" + i));
            byIdentity.remove("ns/app-" + i);
        }
        Path file = dir.resolve("snapshot-1.bin");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            LedgerCodec.writeSnapshot(table, out, 1, 42);
        }
        LedgerTable back = new LedgerTable();
        LedgerCodec.SnapshotInfo info;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            info = LedgerCodec.readSnapshot(in, back);
        }

        assertThat(info.count()).isEqualTo(250);
        assertThat(info.number()).isEqualTo(1);
        assertThat(info.lastSeq()).isEqualTo(42);
        Set<String> identities = new HashSet<>();
        back.all().forEach(r -> identities.add(r.identity()));
        assertThat(identities).hasSize(250);
        assertThat(back.all().stream().sorted(Comparator.comparing(Reservation::identity)).toList())
                .isEqualTo(byIdentity.values().stream().sorted(Comparator.comparing(Reservation::identity)).toList());
    }

    @Test
    void reportsTheBytesItWroteWhenASnapshotIsWritten() throws IOException {
        // exactly 16 reservations fill the table's first columns; 5000 need two blocks of at most 4096
        for (int n : new int[]{0, 16, 5000}) {
            LedgerTable table = new LedgerTable();
            Instant t = Instant.parse("2026-12-07T00:00:00Z");
            for (int i = 0; i < n; i++) {
                table.apply(new LedgerChange.Put(new Reservation("ns/s-" + i, "blue", "10.8." + (i / 256) + "."
                        + (i % 256), Reservation.Kind.MANAGED, Reservation.State.ACTIVE, "node-" + (i % 3), null,
                        null, t, i)));
            }
            Path file = dir.resolve("snapshot-" + n + ".bin");
            long written;
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                written = LedgerCodec.writeSnapshot(table, out, 1, 1);
            }

            assertThat(written).as("%d reservations", n).isEqualTo(java.nio.file.Files.size(file));
            LedgerTable back = new LedgerTable();
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                assertThat(LedgerCodec.readSnapshot(in, back).count()).isEqualTo(n);
            }
            assertThat(back.all()).containsExactlyInAnyOrderElementsOf(table.all());
        }
    }

    @Test
    void endsTheIterationWhenEveryReservationWasVisited() {
        LedgerTable table = new LedgerTable();
        Instant t = Instant.parse("2026-12-07T00:00:00Z");
        for (int i = 0; i < 16; i++) {
            table.apply(new LedgerChange.Put(new Reservation("ns/i-" + i, "blue", "10.7.0." + (i + 1),
                    Reservation.Kind.MANAGED, Reservation.State.ACTIVE, null, null, null, t, i)));
        }
        java.util.Iterator<Reservation> it = table.all().iterator();
        for (int i = 0; i < 16; i++) {
            assertThat(it.hasNext()).isTrue();
            assertThat(it.next().identity()).isEqualTo("ns/i-" + i);
        }

        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(java.util.NoSuchElementException.class);
        assertThat(new LedgerTable().all().iterator().hasNext()).isFalse();
        assertThatThrownBy(() -> new LedgerTable().all().iterator().next())
                .isInstanceOf(java.util.NoSuchElementException.class);
    }

    @Test
    void putsANewReservationIntoTheSlotOfTheLastReleasedOneWhenOneIsFree() {
        LedgerTable table = new LedgerTable();
        Instant t = Instant.parse("2026-12-07T00:00:00Z");
        for (int i = 0; i < 3; i++) {
            table.apply(new LedgerChange.Put(new Reservation("ns/r" + i, "blue", "10.7.0." + (i + 1),
                    Reservation.Kind.MANAGED, Reservation.State.ACTIVE, null, null, null, t, i)));
        }
        table.apply(new LedgerChange.Remove("ns/r0"));
        table.apply(new LedgerChange.Put(new Reservation("ns/late", "blue", "10.7.0.9", Reservation.Kind.MANAGED,
                Reservation.State.ACTIVE, null, null, null, t, 9)));
        List<String> first = new ArrayList<>();

        int next = table.page(0, 1, r -> first.add(r.identity()));

        assertThat(first).containsExactly("ns/late"); // slot 0, freed by ns/r0
        assertThat(next).isEqualTo(1);
        assertThat(table.page(3, 5, r -> first.add(r.identity()))).isEqualTo(-1);
        assertThat(first).containsExactly("ns/late");
    }
}
