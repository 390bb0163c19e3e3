package io.jenkins.plugins.kubeplatform.engine.stickyip;

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
        // ~90 bytes each: 3000 fill the first two chunks (64 and 128 KiB) and start a third
        for (int i = 0; i < 3000; i++) {
            added.add(new Reservation("ns/app-" + i, "pool-" + (i % 3), i % 2 == 0 ? "10.1." + (i / 200 % 250) + "." + (i % 200)
                    : "fd00::" + Integer.toHexString(i + 1), Reservation.Kind.values()[i % 2],
                    Reservation.State.values()[i % 2], i % 4 == 0 ? null : "node-" + i,
                    i % 2 == 1 ? Instant.parse("2026-03-01T00:00:00.5Z") : null, "job#" + i,
                    Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i), i));
        }
        ReservationList list = new ReservationList();
        added.forEach(list::add);

        assertThat(list).hasSize(3000).containsExactlyElementsOf(added);
        assertThat(list.get(999).ip()).isEqualTo("fd00::3e8");
        assertThatThrownBy(() -> list.get(3000)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> list.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void givesBackTheSameReservationWhenAddedFromItsColumns() throws Exception {
        Reservation r = new Reservation("ns/web-0", "blue", "10.9.0.7", Reservation.Kind.ADOPTED,
                Reservation.State.IDLE, "node-1", Instant.parse("2026-03-01T00:00:00.5Z"), "job#1",
                Instant.parse("2026-01-01T00:00:00Z"), 4);
        ReservationList list = new ReservationList();
        LedgerTable table = new LedgerTable();
        table.apply(new LedgerChange.Put(r));
        list.add(r);
        table.forEachRaw(list::addRaw);

        assertThat(list).containsExactly(r, r);
    }
}
