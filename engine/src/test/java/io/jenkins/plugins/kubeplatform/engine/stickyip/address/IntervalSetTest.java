package io.jenkins.plugins.kubeplatform.engine.stickyip.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class IntervalSetTest {

    @Test
    void findsTheValueAfterARunAndMergesNeighbours() {
        IntervalSet set = new IntervalSet();
        for (long v : new long[] {10, 11, 13, 12, 20}) {
            set.add(v);
        }

        assertThat(set.runs()).isEqualTo(2); // 10..13 and 20
        assertThat(set.nextAbsent(10, 100)).isEqualTo(OptionalLong.of(14));
        assertThat(set.nextAbsent(5, 100)).isEqualTo(OptionalLong.of(5));
        assertThat(set.nextAbsent(20, 100)).isEqualTo(OptionalLong.of(21));
        assertThat(set.nextAbsent(10, 13)).isEmpty();
    }

    @Test
    void splitsARunWhenAMiddleValueIsRemoved() {
        IntervalSet set = new IntervalSet();
        for (long v = 1; v <= 5; v++) {
            set.add(v);
        }
        set.remove(3);

        assertThat(set.runs()).isEqualTo(2);
        assertThat(set.contains(3)).isFalse();
        assertThat(set.nextAbsent(1, 10)).isEqualTo(OptionalLong.of(3));
        assertThat(set.count()).isEqualTo(4);
    }

    @Test
    void ordersValuesAsUnsignedSoTheUpperHalfOfA64BitSpaceWorks() {
        IntervalSet set = new IntervalSet();
        set.add(-2L); // 0xFFFF_FFFF_FFFF_FFFE
        set.add(-1L);
        set.add(5);

        assertThat(set.nextAbsent(-2L, -1L)).isEmpty();
        assertThat(set.nextAbsent(0x8000_0000_0000_0000L, -1L)).isEqualTo(OptionalLong.of(0x8000_0000_0000_0000L));
        assertThat(set.contains(-1L)).isTrue();
        assertThat(set.nextAbsent(5, 10)).isEqualTo(OptionalLong.of(6));
    }

    @Test
    void agreesWithATreeSetOverManyRandomChangesAcrossChunkSplits() {
        IntervalSet set = new IntervalSet();
        TreeSet<Long> model = new TreeSet<>();
        Random random = new Random(7);
        for (int i = 0; i < 40_000; i++) {
            long v = random.nextInt(5000) * 2L + (random.nextInt(4) == 0 ? 1 : 0);
            if (random.nextInt(3) == 0) {
                assertThat(set.remove(v)).isEqualTo(model.remove(v));
            } else {
                assertThat(set.add(v)).isEqualTo(model.add(v));
            }
        }
        assertThat(set.count()).isEqualTo(model.size());
        for (long from = 0; from < 10_100; from += 37) {
            long expected = from;
            while (model.contains(expected)) {
                expected++;
            }
            assertThat(set.nextAbsent(from, Long.MAX_VALUE)).as("from %d", from).isEqualTo(OptionalLong.of(expected));
            assertThat(set.contains(from)).isEqualTo(model.contains(from));
        }
    }

    @Test
    void findsNothingInAnEmptyOrReversedWindow() {
        IntervalSet set = new IntervalSet();

        assertThat(set.nextAbsent(5, 5)).isEqualTo(OptionalLong.of(5));
        assertThat(set.nextAbsent(5, 4)).isEmpty();
        set.add(5);
        assertThat(set.nextAbsent(5, 5)).isEmpty();
        assertThat(set.nextAbsent(6, 5)).isEmpty();
    }

    @Test
    void doesNotJoinARunThatWasRemovedBefore() {
        IntervalSet set = new IntervalSet();
        set.add(10);
        set.add(20);
        set.remove(20);
        set.add(19);

        assertThat(set.contains(19)).isTrue();
        assertThat(set.contains(20)).isFalse();
        assertThat(set.runs()).isEqualTo(2);
        assertThat(set.count()).isEqualTo(2);
    }

    @Test
    void shrinksARunFromEitherEndAndDropsASingleValueRun() {
        IntervalSet set = new IntervalSet();
        for (long v = 1; v <= 5; v++) {
            set.add(v);
        }
        set.add(9);

        assertThat(set.remove(5)).isTrue();
        assertThat(set.contains(4)).isTrue();
        assertThat(set.nextAbsent(1, 100)).isEqualTo(OptionalLong.of(5));
        assertThat(set.remove(1)).isTrue();
        assertThat(set.contains(2)).isTrue();
        assertThat(set.nextAbsent(0, 100)).isEqualTo(OptionalLong.of(0));
        assertThat(set.nextAbsent(1, 100)).isEqualTo(OptionalLong.of(1));
        assertThat(set.nextAbsent(2, 100)).isEqualTo(OptionalLong.of(5));
        assertThat(set.runs()).isEqualTo(2);
        assertThat(set.remove(9)).isTrue();
        assertThat(set.runs()).isEqualTo(1);
        assertThat(set.count()).isEqualTo(3);
        assertThat(set.remove(9)).isFalse();
        assertThat(set.remove(0)).isFalse();
    }

    @Test
    void joiningTheLastRunsOfTwoChunksKeepsTheUpperValues() {
        IntervalSet set = new IntervalSet();
        for (long v = 0; v <= 254; v += 2) {
            set.add(v); // 128 single-value runs: the chunk splits into 0..126 and 128..254
        }
        for (long v = 130; v <= 254; v += 2) {
            set.remove(v); // the upper chunk keeps only 128
        }
        set.add(127); // joins 126 and 128 across the chunks

        assertThat(set.contains(128)).isTrue();
        assertThat(set.contains(127)).isTrue();
        assertThat(set.nextAbsent(126, 300)).isEqualTo(OptionalLong.of(129));
        assertThat(set.runs()).isEqualTo(64);
        set.add(200);
        assertThat(set.contains(200)).isTrue();
        assertThat(set.contains(128)).isTrue();
    }

    @Test
    void splitsAFullChunkWhenARemovalSplitsARun() {
        IntervalSet set = new IntervalSet();
        for (long v = 0; v <= 250; v += 2) {
            set.add(v); // 126 runs
        }
        set.add(300);
        set.add(301);
        set.add(302); // 127 runs in one chunk
        set.remove(301); // 128 runs: the chunk is full and must split

        assertThat(set.runs()).isEqualTo(128);
        set.add(400);
        set.add(500);
        assertThat(set.runs()).isEqualTo(130);
        for (long v = 0; v <= 250; v += 2) {
            assertThat(set.contains(v)).as("%d", v).isTrue();
        }
        assertThat(set.contains(300)).isTrue();
        assertThat(set.contains(301)).isFalse();
        assertThat(set.contains(302)).isTrue();
        assertThat(set.contains(400)).isTrue();
        assertThat(set.contains(500)).isTrue();
    }
}
