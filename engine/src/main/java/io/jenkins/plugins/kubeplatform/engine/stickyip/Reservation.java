package io.jenkins.plugins.kubeplatform.engine.stickyip;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One ledger entry: an address held by a replica identity (or, when adopted, by a pod the plugin did not create).
 *
 * @param identity  {@code namespace/name-ordinal}, or {@code adopted:namespace/pod} for an adopted pod
 * @param pool      the pool the address belongs to
 * @param ip        the reserved IPv4 address
 * @param kind      managed (ours) or adopted (seen in the cluster, blocked from allocation)
 * @param state     active, or idle since {@code idleSince} (scaled down in a keep-namespace, or its pod is gone)
 * @param node      the node the identity last ran on; null when unknown
 * @param idleSince when the reservation became idle; null while active
 * @param owner     who last deployed it (job and build, or "cli"); for adopted entries, where it was seen
 * @param created   when the address was first reserved
 * @param revision  incremented on every change; a release names the revision it decided on
 * @param pinRelease the last time a {@code required} node pin of this identity was released between deploys
 *                   (SIP-15: its node was drained by repairNode, deleted or NotReady for long), and why; null if never
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reservation(String identity, String pool, String ip, Kind kind, State state, String node,
                          Instant idleSince, String owner, Instant created, long revision, PinRelease pinRelease) {

    /** A required node pin released between deploys: when, from which node, and why. */
    public record PinRelease(Instant at, String node, String reason) {
        public PinRelease {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(reason, "reason");
        }

        /** {@code 2026-12-06T21:00:00Z node n3: node n3 was deleted}. */
        @Override
        public String toString() {
            return at + " node " + node + ": " + reason;
        }
    }

    /** A reservation whose pin was never released. */
    public Reservation(String identity, String pool, String ip, Kind kind, State state, String node, Instant idleSince,
                       String owner, Instant created, long revision) {
        this(identity, pool, ip, kind, state, node, idleSince, owner, created, revision, null);
    }

    /** Who holds the address. */
    public enum Kind {
        @JsonProperty("managed") MANAGED,
        @JsonProperty("adopted") ADOPTED
    }

    /** Whether the holder is deployed. */
    public enum State {
        @JsonProperty("active") ACTIVE,
        @JsonProperty("idle") IDLE
    }

    public Reservation {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(created, "created");
    }

    public Optional<String> lastNode() {
        return Optional.ofNullable(node);
    }

    public boolean isIdle() {
        return state == State.IDLE;
    }

    public Optional<PinRelease> lastPinRelease() {
        return Optional.ofNullable(pinRelease);
    }

    Reservation active(String newOwner) {
        return new Reservation(identity, pool, ip, kind, State.ACTIVE, node, null, newOwner, created, revision + 1,
                pinRelease);
    }

    Reservation idle(Instant since) {
        return new Reservation(identity, pool, ip, kind, State.IDLE, node, since, owner, created, revision + 1,
                pinRelease);
    }

    Reservation onNode(String newNode) {
        return new Reservation(identity, pool, ip, kind, state, newNode, idleSince, owner, created, revision + 1,
                pinRelease);
    }

    Reservation pinReleased(PinRelease release) {
        return new Reservation(identity, pool, ip, kind, state, node, idleSince, owner, created, revision + 1,
                release);
    }
}
