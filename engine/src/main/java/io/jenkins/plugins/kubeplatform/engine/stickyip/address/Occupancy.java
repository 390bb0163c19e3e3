package io.jenkins.plugins.kubeplatform.engine.stickyip.address;

import java.util.Set;

/** Which addresses are taken (reserved in the ledger, used by a live pod, excluded by the administrator). */
public interface Occupancy {

    boolean isTaken(long address);

    /** The lowest address in {@code from..to} that is not taken, or -1. Implementations may do better than a scan. */
    default long nextUntaken(long from, long to) {
        for (long a = from; a <= to; a++) {
            if (!isTaken(a)) {
                return a;
            }
        }
        return -1;
    }

    static Occupancy none() {
        return address -> false;
    }

    static Occupancy of(Set<Long> taken) {
        return taken::contains;
    }

    /** Taken in either. */
    default Occupancy or(Occupancy other) {
        Occupancy self = this;
        return new Occupancy() {
            @Override
            public boolean isTaken(long address) {
                return self.isTaken(address) || other.isTaken(address);
            }

            @Override
            public long nextUntaken(long from, long to) {
                long candidate = from;
                while (candidate >= 0 && candidate <= to) {
                    long a = self.nextUntaken(candidate, to);
                    if (a < 0) {
                        return -1;
                    }
                    long b = other.nextUntaken(a, to);
                    if (b == a) {
                        return a;
                    }
                    candidate = b;
                }
                return -1;
            }
        };
    }
}
