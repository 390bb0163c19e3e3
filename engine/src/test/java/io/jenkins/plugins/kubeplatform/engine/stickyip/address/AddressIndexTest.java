package io.jenkins.plugins.kubeplatform.engine.stickyip.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressIndexTest {

    @Test
    void findsTheNextUntakenAddressAcrossBlockBoundaries() {
        AddressIndex index = new AddressIndex();
        long base = Ipv4.parse("10.42.0.0").orElseThrow();
        for (long a = base; a < base + 65536 + 3; a++) {
            index.add(a);
        }

        assertThat(index.nextUntaken(base, base + 200_000)).isEqualTo(base + 65536 + 3);
        assertThat(index.nextUntaken(base, base + 65536 + 2)).isEqualTo(-1);
        assertThat(index.count()).isEqualTo(65539);
    }

    @Test
    void agreesWithAPlainSetForRandomContents() {
        AddressIndex index = new AddressIndex();
        Set<Long> set = new HashSet<>();
        Random random = new Random(3);
        long base = Ipv4.parse("10.0.0.0").orElseThrow();
        for (int i = 0; i < 5000; i++) {
            long a = base + random.nextInt(4096);
            if (random.nextBoolean()) {
                index.add(a);
                set.add(a);
            } else {
                index.remove(a);
                set.remove(a);
            }
        }
        Occupancy reference = Occupancy.of(set);
        for (int i = 0; i < 500; i++) {
            long from = base + random.nextInt(4096);
            long to = from + random.nextInt(64);
            assertThat(index.nextUntaken(from, to)).isEqualTo(reference.nextUntaken(from, to));
        }
        assertThat(index.count()).isEqualTo(set.size());
    }

    @Test
    void combinesWithOtherOccupancies() {
        AddressIndex index = new AddressIndex();
        index.add(10);
        index.add(12);
        Occupancy combined = index.or(Occupancy.of(Set.of(11L, 13L)));

        assertThat(combined.nextUntaken(10, 20)).isEqualTo(14);
        assertThat(combined.nextUntaken(10, 13)).isEqualTo(-1);
    }

    @Test
    void findsTheFreeAddressWhenItIsTheLastOfTheWindow() {
        AddressIndex index = new AddressIndex();
        index.add(5);
        index.add(6);

        assertThat(index.nextUntaken(5, 7)).isEqualTo(7);
        assertThat(index.nextUntaken(5, 6)).isEqualTo(-1);
        assertThat(index.isTaken(6)).isTrue();
        assertThat(index.isTaken(7)).isFalse();
        assertThat(index.isTaken(70_000)).isFalse();
    }

    @Test
    void findsTheFirstAddressOfABlockThatHoldsNothing() {
        AddressIndex index = new AddressIndex();
        index.add(5);

        assertThat(index.nextUntaken(200_000, 200_010)).isEqualTo(200_000);
    }

    @Test
    void findsNothingWhenTheWindowEndsWithAFullBlock() {
        AddressIndex index = new AddressIndex();
        for (long a = 0; a < 65536; a++) {
            index.add(a);
        }

        assertThat(index.nextUntaken(65_530, 65_535)).isEqualTo(-1);
        assertThat(index.nextUntaken(65_530, 65_540)).isEqualTo(65_536);
    }

    @Test
    void forgetsRemovedAddressesAndCountsEachOnce() {
        AddressIndex index = new AddressIndex();
        index.add(9);
        index.add(9);
        index.remove(9);
        index.remove(9);
        index.remove(80_000);

        assertThat(index.count()).isZero();
        assertThat(index.isTaken(9)).isFalse();
    }

    @Test
    void scansFromAddressZeroAndReportsEitherSideTaken() {
        Occupancy combined = Occupancy.of(Set.of(1L)).or(Occupancy.of(Set.of(2L)));

        assertThat(combined.nextUntaken(0, 5)).isEqualTo(0);
        assertThat(combined.nextUntaken(1, 5)).isEqualTo(3);
        assertThat(combined.nextUntaken(1, 2)).isEqualTo(-1);
        assertThat(combined.isTaken(1)).isTrue();
        assertThat(combined.isTaken(2)).isTrue();
        assertThat(combined.isTaken(3)).isFalse();
    }

    @Test
    void plainScanFindsTheLastAddressOfTheWindow() {
        Occupancy taken = Occupancy.of(Set.of(1L, 2L));

        assertThat(taken.nextUntaken(1, 3)).isEqualTo(3);
        assertThat(taken.nextUntaken(1, 2)).isEqualTo(-1);
        assertThat(Occupancy.none().nextUntaken(4, 4)).isEqualTo(4);
    }
}
