package io.jenkins.plugins.kubeplatform.stickyip;

import io.jenkins.plugins.kubeplatform.stickyip.address.AddressIndex;
import io.jenkins.plugins.kubeplatform.stickyip.address.Ipv4;
import io.jenkins.plugins.kubeplatform.stickyip.address.Occupancy;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ledger in memory, indexed by identity and by address; guarded by the owning store's lock. */
final class LedgerTable implements LedgerView {

    private final Map<String, Reservation> byIdentity = new HashMap<>();
    private final Map<Long, String> identityByAddress = new HashMap<>();
    private final AddressIndex index = new AddressIndex();

    static long address(String ip) {
        return Ipv4.parse(ip).orElseThrow(() -> new IllegalArgumentException("not an IPv4 address: " + ip));
    }

    /** Throws if applying {@code changes} in order would let two identities hold one address. */
    void check(List<LedgerChange> changes) {
        Map<Long, String> overlay = new HashMap<>();
        Map<String, Long> moved = new HashMap<>();
        for (LedgerChange change : changes) {
            if (change instanceof LedgerChange.Put put) {
                Reservation r = put.reservation();
                long a = address(r.ip());
                String holder = overlay.containsKey(a) ? overlay.get(a) : identityByAddress.get(a);
                if (holder != null && !holder.equals(r.identity())) {
                    throw new IllegalStateException("ledger invariant: " + r.ip() + " is held by " + holder
                            + " and cannot also be given to " + r.identity());
                }
                release(overlay, moved, r.identity());
                overlay.put(a, r.identity());
                moved.put(r.identity(), a);
            } else if (change instanceof LedgerChange.Remove remove) {
                release(overlay, moved, remove.identity());
            }
        }
    }

    private void release(Map<Long, String> overlay, Map<String, Long> moved, String identity) {
        Long previous = moved.containsKey(identity) ? moved.get(identity)
                : Optional.ofNullable(byIdentity.get(identity)).map(r -> address(r.ip())).orElse(null);
        if (previous != null) {
            overlay.put(previous, null);
            moved.remove(identity);
        }
    }

    void apply(LedgerChange change) {
        if (change instanceof LedgerChange.Put put) {
            Reservation r = put.reservation();
            remove(r.identity());
            long a = address(r.ip());
            byIdentity.put(r.identity(), r);
            identityByAddress.put(a, r.identity());
            index.add(a);
        } else if (change instanceof LedgerChange.Remove remove) {
            remove(remove.identity());
        }
    }

    private void remove(String identity) {
        Reservation old = byIdentity.remove(identity);
        if (old != null) {
            long a = address(old.ip());
            if (identity.equals(identityByAddress.get(a))) {
                identityByAddress.remove(a);
                index.remove(a);
            }
        }
    }

    @Override
    public Optional<Reservation> get(String identity) {
        return Optional.ofNullable(byIdentity.get(identity));
    }

    @Override
    public Optional<Reservation> holderOf(String ip) {
        return Ipv4.parse(ip).map(identityByAddress::get).map(byIdentity::get);
    }

    @Override
    public Collection<Reservation> all() {
        return Collections.unmodifiableCollection(byIdentity.values());
    }

    @Override
    public Occupancy reserved() {
        return index;
    }

    @Override
    public int size() {
        return byIdentity.size();
    }
}
