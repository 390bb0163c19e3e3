package io.jenkins.plugins.kubeplatform.stickyip.address;

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
}
