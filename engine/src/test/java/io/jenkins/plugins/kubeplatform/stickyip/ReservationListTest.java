package io.jenkins.plugins.kubeplatform.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReservationListTest {

    @Test
    void givesBackEveryFieldOfEveryReservationInOrderWhenManyAreAdded() {
        List<Reservation> added = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            added.add(new Reservation("ns/app-" + i, "pool-" + (i % 3), i % 2 == 0 ? "10.1." + (i / 200) + "." + (i % 200)
                    : "fd00::" + Integer.toHexString(i + 1), Reservation.Kind.values()[i % 2],
                    Reservation.State.values()[i % 2], i % 4 == 0 ? null : "node-" + i,
                    i % 2 == 1 ? Instant.parse("2026-03-01T00:00:00.5Z") : null, "job#" + i,
                    Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i), i));
        }
        ReservationList list = new ReservationList();
        added.forEach(list::add);

        assertThat(list).hasSize(1000).containsExactlyElementsOf(added);
        assertThat(list.get(999).ip()).isEqualTo("fd00::3e8");
        assertThatThrownBy(() -> list.get(1000)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
