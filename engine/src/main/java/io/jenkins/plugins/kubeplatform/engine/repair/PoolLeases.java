package io.jenkins.plugins.kubeplatform.engine.repair;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The repair slots of one pool: {@code capacity} Lease objects named {@code kubeplatform-repair-<pool>-<i>}. A slot
 * is free when its Lease does not exist, has no holder, or expired (renew time + duration before now).
 */
public record PoolLeases(String pool, int capacity, List<Slot> slots) {

    /** One existing Lease. */
    public record Slot(String name, String holder, String node, Instant renewedAt, Duration duration,
                       String resourceVersion) {

        public boolean expired(Instant now) {
            return holder == null || holder.isEmpty() || renewedAt == null
                    || !renewedAt.plus(duration).isAfter(now);
        }

        public boolean heldBy(String owner, String nodeName) {
            return owner.equals(holder) && nodeName.equals(node);
        }

        public Instant expiresAt() {
            return renewedAt == null ? Instant.EPOCH : renewedAt.plus(duration);
        }
    }

    public static String slotName(String pool, int index) {
        return "kubeplatform-repair-" + pool + "-" + index;
    }

    /** Our slot (even an expired one nobody took yet). */
    public Optional<Slot> heldBy(String owner, String node) {
        return slots.stream().filter(s -> s.heldBy(owner, node)).findFirst();
    }

    /** Whether {@code owner} holds a live lease for {@code node}. */
    public boolean liveFor(String owner, String node, Instant now) {
        return heldBy(owner, node).filter(s -> !s.expired(now)).isPresent();
    }

    /** The first slot we may take: missing (create) or expired (update at its resourceVersion). */
    public Optional<FreeSlot> free(Instant now) {
        for (int i = 0; i < capacity; i++) {
            String name = slotName(pool, i);
            Optional<Slot> existing = slots.stream().filter(s -> s.name().equals(name)).findFirst();
            if (existing.isEmpty()) {
                return Optional.of(new FreeSlot(name, Optional.empty()));
            }
            if (existing.get().expired(now)) {
                return Optional.of(new FreeSlot(name, Optional.of(existing.get().resourceVersion())));
            }
        }
        return Optional.empty();
    }

    /** A slot to take; {@code resourceVersion} empty means the Lease must be created. */
    public record FreeSlot(String name, Optional<String> resourceVersion) {
    }

    /** Live holders, for messages. */
    public List<String> describeHolders(Instant now) {
        return slots.stream().filter(s -> !s.expired(now))
                .map(s -> s.node() + " (" + s.holder() + ", until " + s.expiresAt() + ")").toList();
    }
}
