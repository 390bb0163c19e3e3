package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.jenkins.plugins.kubeplatform.engine.stickyip.address.IntervalSet;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.IpKey;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.Occupancy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The ledger in memory as columns indexed by slot: identities as UTF-8 bytes, pools, nodes and owners interned,
 * addresses as two longs (IPv4 as IPv4-mapped IPv6), times as nanoseconds. Two open-addressing hash tables map
 * (identity, address family) and address to a slot, and one {@link IntervalSet} per /64 (one for all of IPv4) answers "lowest free
 * address" for allocation. About 110 bytes per reservation instead of ~460 with one object graph per entry.
 * Guarded by the owning store's lock; {@link Reservation} values are built on demand.
 */
final class LedgerTable implements LedgerView, LedgerCodec.Sink {

    private static final long NO_TIME = Long.MIN_VALUE;
    private static final byte ADOPTED = 1;
    private static final byte IDLE = 2;

    private byte[][] identities = new byte[16][];
    private int[] pools = new int[16];
    private int[] nodes = new int[16];
    private int[] owners = new int[16];
    private long[] addrHi = new long[16];
    private long[] addrLo = new long[16];
    private byte[] flags = new byte[16];
    private long[] created = new long[16];
    private long[] idleSince = new long[16];
    private long[] revisions = new long[16];
    private int slots;
    private int[] freeSlots = new int[0];
    private int freeCount;
    private int size;

    private final Interner strings = new Interner();
    private final SlotIndex byIdentity = new SlotIndex() {
        @Override
        int hashOf(int slot) {
            return hashIdentity(identities[slot], ipv4At(slot));
        }
    };
    private final SlotIndex byAddress = new SlotIndex() {
        @Override
        int hashOf(int slot) {
            return hashAddress(addrHi[slot], addrLo[slot]);
        }
    };
    /** Released pins by slot: rare, so kept aside instead of as three more columns. */
    private final Map<Integer, Reservation.PinRelease> pinReleases = new HashMap<>();
    private final IntervalSet ipv4 = new IntervalSet();
    private final Map<Long, IntervalSet> ipv6 = new HashMap<>();

    /** The IPv4 address value of a reservation's address text; throws for anything else. */
    static long address(String ip) {
        IpKey key = IpKey.parse(ip).orElseThrow(() -> new IllegalArgumentException("not an IP address: " + ip));
        return key.ipv4().orElseThrow(() -> new IllegalArgumentException("not an IPv4 address: " + ip));
    }

    // ---- hashing ----

    private static int mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) h;
    }

    /** The identity index is keyed by (identity, family): a dual-stack identity holds one entry per family. */
    private static int hashIdentity(byte[] b, boolean ipv4) {
        return mix((Arrays.hashCode(b) * 2L + (ipv4 ? 1 : 0)) * 0x9E3779B97F4A7C15L);
    }

    private static boolean isIpv4(long hi, long lo) {
        return hi == 0 && (lo & 0xFFFF_FFFF_0000_0000L) == 0x0000_FFFF_0000_0000L;
    }

    private boolean ipv4At(int slot) {
        return isIpv4(addrHi[slot], addrLo[slot]);
    }

    /** The key of one (identity, family) entry, for maps outside the table (compaction, checks). */
    static String familyKey(String identity, boolean ipv4) {
        return identity + (ipv4 ? "\u0000v4" : "\u0000v6");
    }

    /** The identity of a {@link #familyKey}. */
    static String identityOfFamilyKey(String key) {
        return key.substring(0, key.length() - 3);
    }

    private static int hashAddress(long hi, long lo) {
        return mix(hi * 31 + lo);
    }

    /** Open addressing with linear probing; holds slot+1, 0 is empty; deletion shifts back (no tombstones). */
    private abstract static class SlotIndex {
        private int[] table = new int[32];
        private int used;

        abstract int hashOf(int slot);

        interface Match {
            boolean test(int slot);
        }

        int find(int hash, Match match) {
            int mask = table.length - 1;
            for (int i = hash & mask; ; i = (i + 1) & mask) {
                int v = table[i];
                if (v == 0) {
                    return -1;
                }
                if (match.test(v - 1)) {
                    return v - 1;
                }
            }
        }

        void capacity(int entries) {
            int needed = Integer.highestOneBit(Math.max(16, entries * 2 - 1)) << 1;
            if (needed > table.length) {
                rehash(needed);
            }
        }

        void put(int slot) {
            if ((used + 1) * 2 > table.length) {
                rehash(table.length * 2);
            }
            insert(table, slot, hashOf(slot));
            used++;
        }

        private static void insert(int[] t, int slot, int hash) {
            int mask = t.length - 1;
            int i = hash & mask;
            while (t[i] != 0) {
                i = (i + 1) & mask;
            }
            t[i] = slot + 1;
        }

        private void rehash(int capacity) {
            int[] next = new int[capacity];
            for (int v : table) {
                if (v != 0) {
                    insert(next, v - 1, hashOf(v - 1));
                }
            }
            table = next;
        }

        void remove(int slot) {
            int mask = table.length - 1;
            int i = hashOf(slot) & mask;
            while (table[i] != slot + 1) {
                if (table[i] == 0) {
                    return;
                }
                i = (i + 1) & mask;
            }
            table[i] = 0;
            used--;
            for (int j = (i + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
                int moved = table[j] - 1;
                int home = hashOf(moved) & mask;
                // move back if the hole lies cyclically between the entry's home and its position
                if (((j - home) & mask) >= ((j - i) & mask)) {
                    table[i] = table[j];
                    table[j] = 0;
                    i = j;
                }
            }
        }
    }

    /** Reference-counted string interning, so owners and nodes that nobody references any more are forgotten. */
    private static final class Interner {
        private final Map<String, Integer> ids = new HashMap<>();
        private final List<String> values = new ArrayList<>();
        private int[] refs = new int[16];
        private final java.util.ArrayDeque<Integer> free = new java.util.ArrayDeque<>();

        int acquire(String s) {
            if (s == null) {
                return -1;
            }
            Integer id = ids.get(s);
            if (id == null) {
                id = free.isEmpty() ? values.size() : free.pop();
                if (id == values.size()) {
                    values.add(s);
                } else {
                    values.set(id, s);
                }
                if (id >= refs.length) {
                    refs = Arrays.copyOf(refs, refs.length * 2);
                }
                ids.put(s, id);
            }
            refs[id]++;
            return id;
        }

        /** One more reference to an id handed out by {@link #acquire}. */
        void ref(int id) {
            if (id >= 0) {
                refs[id]++;
            }
        }

        void release(int id) {
            if (id >= 0 && --refs[id] == 0) {
                ids.remove(values.get(id));
                values.set(id, null);
                free.push(id);
            }
        }

        String get(int id) {
            return id < 0 ? null : values.get(id);
        }
    }

    // ---- lookups ----

    private int slotOf(String identity, boolean ipv4) {
        return slotOf(identity.getBytes(StandardCharsets.UTF_8), ipv4);
    }

    private int slotOf(byte[] key, boolean ipv4) {
        return byIdentity.find(hashIdentity(key, ipv4), s -> ipv4At(s) == ipv4 && Arrays.equals(identities[s], key));
    }

    private int slotOf(IpKey ip) {
        return byAddress.find(hashAddress(ip.hi(), ip.lo()), s -> addrHi[s] == ip.hi() && addrLo[s] == ip.lo());
    }

    static long nanos(Instant t) {
        return t == null ? NO_TIME : Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    static Instant instant(long nanos) {
        return nanos == NO_TIME ? null : Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                Math.floorMod(nanos, 1_000_000_000L));
    }

    private Reservation reservation(int s) {
        return reservation(identities[s], strings.get(pools[s]), addrHi[s], addrLo[s], flags[s],
                strings.get(nodes[s]), strings.get(owners[s]), created[s], idleSince[s], revisions[s],
                pinReleases.get(s));
    }

    // ---- changes ----

    /** Throws if applying {@code changes} in order would let two identities hold one address. */
    void check(List<LedgerChange> changes) {
        Map<IpKey, String> overlay = new HashMap<>();
        Map<String, IpKey> moved = new HashMap<>();
        for (LedgerChange change : changes) {
            if (change instanceof LedgerChange.Put put) {
                Reservation r = put.reservation();
                IpKey a = key(r.ip());
                String holder;
                if (overlay.containsKey(a)) {
                    holder = overlay.get(a);
                } else {
                    int s = slotOf(a);
                    holder = s < 0 ? null : new String(identities[s], StandardCharsets.UTF_8);
                }
                if (holder != null && !holder.equals(r.identity())) {
                    throw new IllegalStateException("ledger invariant: " + r.ip() + " is held by " + holder
                            + " and cannot also be given to " + r.identity());
                }
                release(overlay, moved, r.identity(), a.isIpv4());
                overlay.put(a, r.identity());
                moved.put(familyKey(r.identity(), a.isIpv4()), a);
            } else if (change instanceof LedgerChange.Remove remove) {
                release(overlay, moved, remove.identity(), true);
                release(overlay, moved, remove.identity(), false);
            }
        }
    }

    private void release(Map<IpKey, String> overlay, Map<String, IpKey> moved, String identity, boolean ipv4) {
        String key = familyKey(identity, ipv4);
        IpKey previous;
        if (moved.containsKey(key)) {
            previous = moved.get(key);
        } else {
            int s = slotOf(identity, ipv4);
            previous = s < 0 ? null : new IpKey(addrHi[s], addrLo[s]);
        }
        if (previous != null) {
            overlay.put(previous, null);
            moved.remove(key);
        }
    }

    static IpKey key(String ip) {
        return IpKey.parse(ip).orElseThrow(() -> new IllegalArgumentException("not an IP address: " + ip));
    }

    void apply(LedgerChange change) {
        if (change instanceof LedgerChange.Put put) {
            put(put.reservation());
        } else if (change instanceof LedgerChange.Remove remove) {
            for (boolean ipv4 : new boolean[] {true, false}) {
                int s = slotOf(remove.identity(), ipv4);
                if (s >= 0) {
                    removeSlot(s);
                }
            }
        }
    }

    private void put(Reservation r) {
        IpKey ip = key(r.ip());
        int existing = slotOf(r.identity(), ip.isIpv4());
        if (existing >= 0) {
            removeSlot(existing);
        }
        putRaw(r.identity().getBytes(StandardCharsets.UTF_8), r.pool(), ip.hi(), ip.lo(), flagsOf(r), r.node(),
                r.owner(), nanos(r.created()), nanos(r.idleSince()), r.revision(), r.pinRelease());
    }

    static byte flagsOf(Reservation r) {
        return (byte) ((r.kind() == Reservation.Kind.ADOPTED ? ADOPTED : 0)
                | (r.state() == Reservation.State.IDLE ? IDLE : 0));
    }

    static Reservation reservation(byte[] identity, String pool, long hi, long lo, byte flag, String node,
                                   String owner, long createdAt, long idleAt, long revision,
                                   Reservation.PinRelease pin) {
        return new Reservation(new String(identity, StandardCharsets.UTF_8), pool, new IpKey(hi, lo).toString(),
                (flag & ADOPTED) != 0 ? Reservation.Kind.ADOPTED : Reservation.Kind.MANAGED,
                (flag & IDLE) != 0 ? Reservation.State.IDLE : Reservation.State.ACTIVE, node, instant(idleAt), owner,
                instant(createdAt), revision, pin);
    }

    private IntervalSet occupancyOf(IpKey ip, boolean create) {
        if (ip.ipv4().isPresent()) {
            return ipv4;
        }
        return create ? ipv6.computeIfAbsent(ip.hi(), h -> new IntervalSet()) : ipv6.get(ip.hi());
    }

    private void removeSlot(int s) {
        byIdentity.remove(s);
        byAddress.remove(s);
        IpKey ip = new IpKey(addrHi[s], addrLo[s]);
        IntervalSet set = occupancyOf(ip, false);
        if (set != null) {
            set.remove(ip.ipv4().isPresent() ? ip.ipv4().getAsLong() : ip.lo());
            if (set.count() == 0 && set != ipv4) {
                ipv6.remove(ip.hi());
            }
        }
        strings.release(pools[s]);
        strings.release(nodes[s]);
        strings.release(owners[s]);
        identities[s] = null;
        pinReleases.remove(s);
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, Math.max(16, freeCount * 2));
        }
        freeSlots[freeCount++] = s;
        size--;
    }

    private void grow(int n) {
        identities = Arrays.copyOf(identities, n);
        pools = Arrays.copyOf(pools, n);
        nodes = Arrays.copyOf(nodes, n);
        owners = Arrays.copyOf(owners, n);
        addrHi = Arrays.copyOf(addrHi, n);
        addrLo = Arrays.copyOf(addrLo, n);
        flags = Arrays.copyOf(flags, n);
        created = Arrays.copyOf(created, n);
        idleSince = Arrays.copyOf(idleSince, n);
        revisions = Arrays.copyOf(revisions, n);
    }

    private int newSlot() {
        if (freeCount > 0) {
            return freeSlots[--freeCount];
        }
        if (slots == identities.length) {
            grow(slots + (slots >> 1));
        }
        return slots++;
    }

    // ---- raw access for the snapshot codec (no Reservation objects at a million entries) ----

    /** One reservation's columns, as the snapshot stores them. */
    interface RawVisitor {
        void visit(byte[] identity, String pool, long hi, long lo, byte flags, String node, String owner,
                   long created, long idleSince, long revision, Reservation.PinRelease pin) throws java.io.IOException;
    }

    void forEachRaw(RawVisitor visitor) throws java.io.IOException {
        for (int s = 0; s < slots; s++) {
            if (identities[s] != null) {
                visitor.visit(identities[s], strings.get(pools[s]), addrHi[s], addrLo[s], flags[s],
                        strings.get(nodes[s]), strings.get(owners[s]), created[s], idleSince[s], revisions[s],
                        pinReleases.get(s));
            }
        }
    }

    /** Adds one reservation read from a snapshot; throws when it breaks an invariant of the table. */
    void putRaw(byte[] identity, String pool, long hi, long lo, byte flag, String node, String owner, long createdAt,
                long idleAt, long revision, Reservation.PinRelease pin) {
        int poolId = strings.acquire(pool);
        int nodeId = strings.acquire(node);
        int ownerId = strings.acquire(owner);
        try {
            putRawIds(identity, poolId, hi, lo, flag, nodeId, ownerId, createdAt, idleAt, revision, pin);
        } finally {
            strings.release(poolId);
            strings.release(nodeId);
            strings.release(ownerId);
        }
    }

    /** Interns a string for {@link #putRawIds} (one reference, to be dropped with {@link #unintern}); null is -1. */
    @Override
    public int intern(String s) {
        return strings.acquire(s);
    }

    @Override
    public void unintern(int id) {
        strings.release(id);
    }

    /** Room for {@code count} reservations without growing (a snapshot says how many it holds). */
    @Override
    public void reserveCapacity(int count) {
        if (count > identities.length) {
            grow(count);
        }
        byIdentity.capacity(count);
        byAddress.capacity(count);
    }

    /** Adds one reservation whose strings are interned ids; throws when it breaks an invariant of the table. */
    @Override
    public void putRawIds(byte[] identity, int poolId, long hi, long lo, byte flag, int nodeId, int ownerId, long createdAt,
                   long idleAt, long revision, Reservation.PinRelease pin) {
        int existing = slotOf(identity, isIpv4(hi, lo));
        if (existing >= 0) {
            throw new IllegalStateException("identity " + new String(identity, StandardCharsets.UTF_8)
                    + " appears twice with an " + (isIpv4(hi, lo) ? "IPv4" : "IPv6") + " address");
        }
        int holder = byAddress.find(hashAddress(hi, lo), s -> addrHi[s] == hi && addrLo[s] == lo);
        if (holder >= 0) {
            throw new IllegalStateException("ledger invariant: " + new IpKey(hi, lo) + " is held by "
                    + new String(identities[holder], StandardCharsets.UTF_8) + " and by "
                    + new String(identity, StandardCharsets.UTF_8));
        }
        int s = newSlot();
        identities[s] = identity;
        strings.ref(poolId);
        strings.ref(nodeId);
        strings.ref(ownerId);
        pools[s] = poolId;
        nodes[s] = nodeId;
        owners[s] = ownerId;
        addrHi[s] = hi;
        addrLo[s] = lo;
        flags[s] = flag;
        created[s] = createdAt;
        idleSince[s] = idleAt;
        revisions[s] = revision;
        if (pin != null) {
            pinReleases.put(s, pin);
        }
        byIdentity.put(s);
        byAddress.put(s);
        if (isIpv4(hi, lo)) {
            ipv4.add(lo & 0xFFFF_FFFFL);
        } else {
            ipv6.computeIfAbsent(hi, h -> new IntervalSet()).add(lo);
        }
        size++;
    }

    // ---- the view ----

    @Override
    public Optional<Reservation> get(String identity) {
        byte[] key = identity.getBytes(StandardCharsets.UTF_8);
        int s = slotOf(key, true);
        if (s < 0) {
            s = slotOf(key, false);
        }
        return s < 0 ? Optional.empty() : Optional.of(reservation(s));
    }

    @Override
    public List<Reservation> held(String identity) {
        byte[] key = identity.getBytes(StandardCharsets.UTF_8);
        List<Reservation> result = new ArrayList<>(2);
        for (boolean v4 : new boolean[] {true, false}) {
            int s = slotOf(key, v4);
            if (s >= 0) {
                result.add(reservation(s));
            }
        }
        return result;
    }

    @Override
    public Optional<Reservation> holderOf(String ip) {
        Optional<IpKey> key = IpKey.parse(ip);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        int s = slotOf(key.get());
        return s < 0 ? Optional.empty() : Optional.of(reservation(s));
    }

    @Override
    public Collection<Reservation> all() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<Reservation> iterator() {
                return new Iterator<>() {
                    private int next = advance(0);

                    private int advance(int from) {
                        int s = from;
                        while (s < slots && identities[s] == null) {
                            s++;
                        }
                        return s;
                    }

                    @Override
                    public boolean hasNext() {
                        return next < slots;
                    }

                    @Override
                    public Reservation next() {
                        if (next >= slots) {
                            throw new NoSuchElementException();
                        }
                        Reservation r = reservation(next);
                        next = advance(next + 1);
                        return r;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /**
     * Visits at most {@code limit} reservations from slot {@code cursor} on and returns the cursor to continue from,
     * or -1 at the end: lets a long scan (a GC sweep) release the store's lock between pages.
     */
    int page(int cursor, int limit, Consumer<Reservation> visitor) {
        int s = cursor;
        int seen = 0;
        while (s < slots && seen < limit) {
            if (identities[s] != null) {
                visitor.accept(reservation(s));
                seen++;
            }
            s++;
        }
        return s >= slots ? -1 : s;
    }

    @Override
    public Occupancy reserved() {
        return new Occupancy() {
            @Override
            public boolean isTaken(long address) {
                return ipv4.contains(address);
            }

            @Override
            public long nextUntaken(long from, long to) {
                return ipv4.nextAbsent(from, to).orElse(-1);
            }
        };
    }

    /** Reserved addresses of one IPv6 /64 (by its upper 64 bits), as an occupancy over the lower 64 bits. */
    @Override
    public Optional<IntervalSet> reservedIpv6(long upper) {
        return Optional.ofNullable(ipv6.get(upper));
    }

    @Override
    public int size() {
        return size;
    }

    // ---- a GC sweep on the columns (no Reservation per entry scanned) ----

    /** One candidate of a sweep, read from the columns on demand; valid only during the call it is handed to. */
    final class Candidate {
        private int slot;

        String identity() {
            return new String(identities[slot], StandardCharsets.UTF_8);
        }

        String ip() {
            return new IpKey(addrHi[slot], addrLo[slot]).toString();
        }

        String node() {
            return strings.get(nodes[slot]);
        }

        Reservation reservation() {
            return LedgerTable.this.reservation(slot);
        }
    }

    /** What a sweep decides, asked per pool and per expired candidate. */
    interface SweepRule {
        /**
         * Idle reservations of {@code pool} idle since this time (nanoseconds, as {@link #nanos}) or earlier are
         * expired; {@link Long#MIN_VALUE} when none of the pool's are (a pool that is not configured).
         */
        long expiredUpTo(String pool);

        /** Null to release an expired candidate, else why it is kept. */
        String holdReason(Candidate candidate);
    }

    /**
     * Visits at most {@code scanLimit} reservations from slot {@code cursor} on, deciding from the columns: the
     * slots of the expired idle ones that {@code rule} releases go into {@code release} (at most its length; the
     * scan stops when it is full), their count into {@code found[0]} and the number visited into {@code found[1]}; the kept ones go to {@code held} with their
     * reason. Only candidates are ever read as more than primitives. Returns the cursor to continue from, or -1 at
     * the end.
     */
    int expired(int cursor, int scanLimit, SweepRule rule, int[] release, int[] found,
                java.util.function.BiConsumer<Reservation, String> held) {
        Candidate candidate = new Candidate();
        int lastPool = Integer.MIN_VALUE;
        long upTo = Long.MIN_VALUE;
        int n = 0;
        int seen = 0;
        int s = cursor;
        while (s < slots && seen < scanLimit && n < release.length) {
            if (identities[s] != null) {
                seen++;
                long idle = idleSince[s];
                if ((flags[s] & IDLE) != 0 && idle != NO_TIME) {
                    if (pools[s] != lastPool) {
                        lastPool = pools[s];
                        upTo = rule.expiredUpTo(strings.get(lastPool));
                    }
                    if (upTo != Long.MIN_VALUE && idle <= upTo) {
                        candidate.slot = s;
                        String reason = rule.holdReason(candidate);
                        if (reason == null) {
                            release[n++] = s;
                        } else {
                            held.accept(reservation(s), reason);
                        }
                    }
                }
            }
            s++;
        }
        found[0] = n;
        found[1] = seen;
        return s >= slots ? -1 : s;
    }

    /** The UTF-8 identity of an occupied slot (the table's own array: not to be changed). */
    byte[] identityAt(int slot) {
        return identities[slot];
    }

    /** Hands one occupied slot's columns to {@code visitor}. */
    void rawAt(int s, RawVisitor visitor) throws java.io.IOException {
        visitor.visit(identities[s], strings.get(pools[s]), addrHi[s], addrLo[s], flags[s], strings.get(nodes[s]),
                strings.get(owners[s]), created[s], idleSince[s], revisions[s], pinReleases.get(s));
    }

    /** Removes the reservations of these occupied slots (the first {@code n}). */
    void removeSlots(int[] slotsToRemove, int n) {
        for (int i = 0; i < n; i++) {
            removeSlot(slotsToRemove[i]);
        }
    }
}
