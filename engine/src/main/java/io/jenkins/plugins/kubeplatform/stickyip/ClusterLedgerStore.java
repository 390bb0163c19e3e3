package io.jenkins.plugins.kubeplatform.stickyip;

import com.fasterxml.jackson.core.JsonProcessingException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.kube.ConfigMapRecords;
import io.jenkins.plugins.kubeplatform.store.Json;
import io.jenkins.plugins.kubeplatform.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The reservation ledger kept in the cluster, for teams with several Jenkins controllers (or a controller and the
 * CLI) sharing one address space. One ConfigMap per reserved address, named after the address, in one namespace:
 * the API server's name uniqueness makes "two identities never hold one address" a property of the cluster, so an
 * allocation is one {@code create} (an {@code AlreadyExists} means another writer took the address first: the
 * decision is re-run on a fresh view). Changes to a reservation are updates guarded by its {@code resourceVersion};
 * releases are deletes with the same precondition. Kube-OVN's {@code IP} objects and Whereabouts' per-address
 * reservations use the same shape.
 *
 * <p>"One address per identity and family" (two objects for a dual-stack identity) cannot be a name constraint at
 * the same time, so a writer that created a new identity's reservation lists the identity's objects (by a hashed label) before acknowledging; a writer that sees
 * another object for the same identity withdraws its own and decides again. Of two writers racing for one identity
 * at least one sees the other (each lists after its own create), so at most one acknowledges. A writer that changes
 * an existing object (a redeploy) first lists the identity's objects too and changes it only while it is the only
 * one; a withdrawal turns the object into a tombstone by an update guarded by the creator's resourceVersion, so it
 * fails once anyone changed the object. Together: two writers never acknowledge two addresses for one identity.
 *
 * <p>Every decision runs on a fresh, consistent list; a decision whose writes meet a concurrent writer is re-run
 * (bounded), objects it created before giving up are withdrawn. Transient API failures are retried by the shared
 * {@link ApiRetry} policy; a create retried after a lost response recognises its own object.
 */
public final class ClusterLedgerStore implements LedgerStore {

    /** Marks the objects of this store; with the project's managed-by label. */
    public static final String STORE_LABEL = "kubeplatform.io/store";
    public static final String STORE_VALUE = "ip-ledger";
    /** The first 40 hex digits of the SHA-256 of the identity: a label value cannot hold every identity text. */
    public static final String IDENTITY_LABEL = "kubeplatform.io/identity-hash";
    public static final String DATA_KEY = "reservation";
    /**
     * Marks an object its creator made and nobody else has confirmed: until another writer confirms it (an update
     * guarded by its resourceVersion, which also clears this mark), its creator may still withdraw it.
     */
    public static final String PENDING = "kubeplatform.io/pending";
    /** Marks an object being removed (see {@link #retire}); its address stays taken until it is gone. */
    public static final String WITHDRAWN = "kubeplatform.io/withdrawn";
    static final String NAME_PREFIX = "kubeplatform-ip-";
    private static final int MAX_DECISIONS = 20;
    /** Prefix of the placeholder entry that keeps a contested object's address taken in a view. */
    static final String CONTESTED = "contested:";

    private final String namespace;
    private final ConfigMapRecords records;

    public ClusterLedgerStore(KubernetesClient client, String namespace, ApiRetry retry, RandomGenerator jitter) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.records = new ConfigMapRecords(client, namespace, STORE_LABEL, STORE_VALUE, retry, jitter, this::failed);
    }

    public String namespace() {
        return namespace;
    }

    @Override
    public <R> R read(Function<LedgerView, R> query) {
        return query.apply(load().table);
    }

    @Override
    public <R> R update(Function<LedgerView, Decision<R>> decide) {
        Map<String, String> createdHere = new LinkedHashMap<>();
        StringBuilder contested = new StringBuilder();
        boolean acknowledged = false;
        try {
            R result = records.decide(MAX_DECISIONS, () -> {
                contested.setLength(0);
                Loaded current = load();
                Set<String> consulted = new LinkedHashSet<>();
                Decision<R> decision = decide.apply(recording(current.table, consulted));
                current.table.check(decision.changes());
                Set<String> written = new LinkedHashSet<>();
                decision.changes().forEach(c -> written.add(c instanceof LedgerChange.Put put
                        ? put.reservation().identity() : ((LedgerChange.Remove) c).identity()));
                return (decision.changes().isEmpty() || write(current, decision.changes(), createdHere, contested))
                        && onlyHoldersOf(current, consulted, written)
                        ? ConfigMapRecords.Round.done(decision.result()) : ConfigMapRecords.Round.conflict();
            }, () -> gaveUp(contested));
            acknowledged = true;
            return result;
        } finally {
            if (!acknowledged) {
                withdraw(createdHere);
            }
        }
    }

    private StoreException gaveUp(CharSequence contested) {
        if (!contested.isEmpty()) {
            return new StoreException("the cluster ledger in namespace " + namespace + " holds two reservations "
                    + "for " + contested + ": a writer stopped between reserving and checking. Keep the one "
                    + "whose address a running pod uses (kubectl get pods -o wide), delete the other, and retry",
                    null);
        }
        return new StoreException("the cluster ledger in namespace " + namespace + " kept changing under "
                + MAX_DECISIONS + " decisions in a row (other controllers allocating at the same time); "
                + "nothing further was written, retry the deploy", null);
    }

    /**
     * Reads every object of the ledger without changing any and names each problem: an object that does not hold a
     * reservation or holds another address than its name says (changed by hand), and an identity held by two
     * objects. Empty when the ledger is sound.
     */
    public List<String> verify() {
        List<String> problems = new ArrayList<>();
        Map<String, String> objectByIdentity = new HashMap<>();
        for (ConfigMap cm : records.list()) {
            if (withdrawn(cm)) {
                continue; // being removed by its writer
            }
            try {
                Reservation r = decode(cm);
                String other = objectByIdentity.putIfAbsent(keyOf(r), cm.getMetadata().getName());
                if (other != null) {
                    problems.add(r.identity() + " is held by two objects of one address family: " + other + " and "
                            + cm.getMetadata().getName());
                }
            } catch (StoreException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    // ---- reading ----

    private record Held(String name, String resourceVersion, Reservation reservation, boolean pending) {
    }

    private static final class Loaded {
        final LedgerTable table = new LedgerTable();
        /** By (identity, family) key ({@link LedgerTable#familyKey}): a dual-stack identity has two objects. */
        final Map<String, Held> byIdentity = new HashMap<>();
        /** (identity, family) keys with more than one object: a writer between its create and its identity check. */
        final Map<String, List<String>> contested = new HashMap<>();
    }

    private Loaded load() {
        Loaded loaded = new Loaded();
        List<Reservation> extras = new ArrayList<>();
        for (ConfigMap cm : records.list()) {
            if (withdrawn(cm)) {
                addressOf(cm).ifPresent(ip -> loaded.table.apply(new LedgerChange.Put(new Reservation(
                        CONTESTED + "withdrawn@" + ip, "", ip, Reservation.Kind.ADOPTED, Reservation.State.IDLE, null,
                        null, null, java.time.Instant.EPOCH, 0))));
                continue;
            }
            Reservation r = decode(cm);
            Held earlier = loaded.byIdentity.get(keyOf(r));
            if (earlier != null) {
                loaded.contested.computeIfAbsent(keyOf(r), k -> new ArrayList<>(List.of(earlier.name())))
                        .add(cm.getMetadata().getName());
                extras.add(r);
                continue;
            }
            loaded.byIdentity.put(keyOf(r), new Held(cm.getMetadata().getName(),
                    cm.getMetadata().getResourceVersion(), r, cm.getMetadata().getAnnotations() != null
                    && cm.getMetadata().getAnnotations().containsKey(PENDING)));
            loaded.table.apply(new LedgerChange.Put(r));
        }
        for (Reservation extra : extras) {
            // the address stays taken while its writer withdraws it
            loaded.table.apply(new LedgerChange.Put(new Reservation(CONTESTED + extra.identity() + "@" + extra.ip(),
                    extra.pool(), extra.ip(), Reservation.Kind.ADOPTED, extra.state(), extra.node(), extra.idleSince(),
                    extra.owner(), extra.created(), extra.revision())));
        }
        return loaded;
    }

    private static boolean withdrawn(ConfigMap cm) {
        return cm.getMetadata().getAnnotations() != null && cm.getMetadata().getAnnotations().containsKey(WITHDRAWN);
    }

    /** The address an object's name stands for ({@code kubeplatform-ip-10.42.200.7}; IPv6 with dashes). */
    private static Optional<String> addressOf(ConfigMap cm) {
        String name = cm.getMetadata().getName();
        if (!name.startsWith(NAME_PREFIX)) {
            return Optional.empty();
        }
        String text = name.substring(NAME_PREFIX.length());
        String ip = text.contains(".") ? text : text.replace('-', ':');
        return new IPAddressString(ip).getAddress() == null ? Optional.empty() : Optional.of(ip);
    }

    private Reservation decode(ConfigMap cm) {
        String name = cm.getMetadata().getName();
        String text = cm.getData() == null ? null : cm.getData().get(DATA_KEY);
        if (text == null) {
            throw new StoreException("ConfigMap " + namespace + "/" + name + " of the IP ledger has no '" + DATA_KEY
                    + "' entry; it was changed by hand: restore it or delete it, then retry", null);
        }
        Reservation r;
        try {
            r = Json.mapper().readValue(text, Reservation.class);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new StoreException("ConfigMap " + namespace + "/" + name + " of the IP ledger does not hold a "
                    + "reservation (" + e.getMessage() + "); it was changed by hand: restore it or delete it", e);
        }
        if (!objectName(r.ip()).equals(name)) {
            throw new StoreException("ConfigMap " + namespace + "/" + name + " of the IP ledger holds address "
                    + r.ip() + ", which belongs in " + objectName(r.ip()) + "; it was changed by hand", null);
        }
        return r;
    }

    /** The view handed to a decision, noting every identity whose reservation the decision looked up. */
    private static LedgerView recording(LedgerView view, Set<String> consulted) {
        return new LedgerView() {
            @Override
            public Optional<Reservation> get(String identity) {
                Optional<Reservation> r = view.get(identity);
                r.ifPresent(x -> consulted.add(identity));
                return r;
            }

            @Override
            public List<Reservation> held(String identity) {
                List<Reservation> r = view.held(identity);
                if (!r.isEmpty()) {
                    consulted.add(identity);
                }
                return r;
            }

            @Override
            public Optional<Reservation> holderOf(String ip) {
                return view.holderOf(ip);
            }

            @Override
            public java.util.Collection<Reservation> all() {
                return view.all();
            }

            @Override
            public io.jenkins.plugins.kubeplatform.stickyip.address.Occupancy reserved() {
                return view.reserved();
            }

            @Override
            public Optional<io.jenkins.plugins.kubeplatform.stickyip.address.IntervalSet> reservedIpv6(long upper) {
                return view.reservedIpv6(upper);
            }

            @Override
            public int size() {
                return view.size();
            }
        };
    }

    /**
     * A decision may hand back an existing reservation unchanged (a re-deploy): it is acknowledged only while it is
     * its identity's only object, since its creator may still be checking and withdraw it (see the class comment).
     * Identities the decision wrote were checked by the write itself.
     */
    private boolean onlyHoldersOf(Loaded current, Set<String> consulted, Set<String> written) {
        for (String identity : consulted) {
            for (boolean ipv4 : new boolean[] {true, false}) {
                String key = LedgerTable.familyKey(identity, ipv4);
                Held held = current.byIdentity.get(key);
                if (written.contains(identity) || held == null) {
                    continue;
                }
                if (current.contested.containsKey(key) || !onlyHolderOf(held.reservation())) {
                    return false;
                }
                // acknowledging another writer's pending object: confirm it first, so that its creator can no longer
                // withdraw it (the confirmation fails, and the decision is made again, if anyone changed it meanwhile)
                if (held.pending() && !replace(held, held.reservation())) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---- writing ----

    /** Applies one decision's changes; false when a concurrent writer got in the way (the decision is re-run). */
    private boolean write(Loaded current, List<LedgerChange> changes, Map<String, String> createdHere,
                          StringBuilder contested) {
        Map<String, Optional<Reservation>> wanted = new LinkedHashMap<>();
        for (LedgerChange change : changes) {
            if (change instanceof LedgerChange.Put put) {
                wanted.put(keyOf(put.reservation()), Optional.of(put.reservation()));
            } else if (change instanceof LedgerChange.Remove remove) {
                wanted.put(LedgerTable.familyKey(remove.identity(), true), Optional.empty());
                wanted.put(LedgerTable.familyKey(remove.identity(), false), Optional.empty());
            }
        }
        for (String identity : wanted.keySet()) {
            if (current.contested.containsKey(identity)) {
                contested.append(identity.substring(0, identity.indexOf('\u0000'))).append(" (ConfigMaps ")
                        .append(String.join(", ", current.contested.get(identity))).append(')');
                return false;
            }
        }
        // releases and moves away first: a decision may hand a released address to another identity
        for (Map.Entry<String, Optional<Reservation>> e : wanted.entrySet()) {
            Held held = current.byIdentity.get(e.getKey());
            boolean leaves = held != null
                    && (e.getValue().isEmpty() || !sameAddress(held.reservation().ip(), e.getValue().get().ip()));
            if (leaves && !delete(held)) {
                return false;
            }
        }
        for (Map.Entry<String, Optional<Reservation>> e : wanted.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            Reservation next = e.getValue().get();
            Held held = current.byIdentity.get(e.getKey());
            if (held != null && sameAddress(held.reservation().ip(), next.ip())) {
                // an object whose creator may still be checking is changed only while it is the identity's only
                // one: a creator that then sees another object can still withdraw its own (see the class comment)
                if (!held.reservation().equals(next) && (!onlyHolderOf(held.reservation()) || !replace(held, next))) {
                    return false;
                }
            } else if (!create(next, createdHere)) {
                return false;
            }
        }
        return true;
    }

    private boolean create(Reservation r, Map<String, String> createdHere) {
        String name = objectName(r.ip());
        ConfigMap object = new ConfigMapBuilder().withNewMetadata().withName(name)
                .addToLabels(StickyIpLabels.MANAGED_BY, StickyIpLabels.MANAGER)
                .addToLabels(STORE_LABEL, STORE_VALUE)
                .addToLabels(IDENTITY_LABEL, identityHash(r.identity()))
                .addToAnnotations(PENDING, "true")
                .endMetadata().addToData(DATA_KEY, encode(r)).build();
        Optional<ConfigMap> made = records.create(object, "reserve " + r.ip() + " for " + r.identity());
        if (made.isEmpty()) {
            return false; // taken by another writer
        }
        createdHere.put(name, made.get().getMetadata().getResourceVersion());
        if (onlyHolderOf(r)) {
            return true;
        }
        withdraw(Map.of(name, createdHere.remove(name)));
        return false;
    }

    /**
     * True when {@code r} is its identity's only reservation of its address family (else another writer raced us for
     * the identity).
     */
    private boolean onlyHolderOf(Reservation r) {
        return records.list(IDENTITY_LABEL, identityHash(r.identity())).stream().filter(cm -> !withdrawn(cm)).map(this::decode)
                .noneMatch(o -> o.identity().equals(r.identity()) && keyOf(o).equals(keyOf(r))
                        && !sameAddress(o.ip(), r.ip()));
    }

    private boolean replace(Held held, Reservation next) {
        ConfigMap object = new ConfigMapBuilder().withNewMetadata().withName(held.name()).withNamespace(namespace)
                .withResourceVersion(held.resourceVersion())
                .addToLabels(StickyIpLabels.MANAGED_BY, StickyIpLabels.MANAGER)
                .addToLabels(STORE_LABEL, STORE_VALUE)
                .addToLabels(IDENTITY_LABEL, identityHash(next.identity()))
                .endMetadata().addToData(DATA_KEY, encode(next)).build();
        return records.update(object, "record " + next.identity() + " on " + next.ip()).isPresent();
    }

    private boolean delete(Held held) {
        return retire(held.name(), held.resourceVersion(), "release " + held.reservation().ip() + " of "
                + held.reservation().identity());
    }

    /**
     * Removes an object only if nobody changed it since {@code resourceVersion}: first an update guarded by that
     * resourceVersion turns it into a tombstone (a real server refuses it with 409 Conflict when the object changed,
     * which a delete's precondition would not guarantee on every server and client), then the tombstone is deleted.
     * A tombstone is never reused: views treat its address as taken until it is gone. False when the object
     * changed or vanished meanwhile (the caller decides again).
     */
    private boolean retire(String name, String resourceVersion, String what) {
        ConfigMap tombstone = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withResourceVersion(resourceVersion)
                .addToLabels(StickyIpLabels.MANAGED_BY, StickyIpLabels.MANAGER)
                .addToLabels(STORE_LABEL, STORE_VALUE)
                .addToAnnotations(WITHDRAWN, "true")
                .endMetadata().build();
        Optional<ConfigMap> marked = records.update(tombstone, what);
        // nobody reuses a tombstone, so the delete is guarded only against a hand edit meanwhile
        marked.ifPresent(cm -> records.delete(name, cm.getMetadata().getResourceVersion(), what));
        return marked.isPresent();
    }

    /** Best effort: removes objects this call created but never acknowledged, unless changed since by another writer. */
    private void withdraw(Map<String, String> created) {
        for (Map.Entry<String, String> e : created.entrySet()) {
            try {
                retire(e.getKey(), e.getValue(), "withdraw " + e.getKey());
            } catch (RuntimeException ignored) {
                // left in place: it holds an address nobody was told about; ledger GC reclaims it like any idle one
            }
        }
    }

    private StoreException failed(String what, KubernetesClientException e) {
        return new StoreException("could not " + what + " in the cluster ledger (namespace " + namespace + "): "
                + ApiRetry.serverMessage(e), e);
    }

    private static String encode(Reservation r) {
        try {
            return Json.mapper().writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The (identity, family) key of a reservation: an identity holds at most one address per family. */
    private static String keyOf(Reservation r) {
        return LedgerTable.familyKey(r.identity(), LedgerTable.key(r.ip()).isIpv4());
    }

    private static boolean sameAddress(String a, String b) {
        return objectName(a).equals(objectName(b));
    }

    /** {@code kubeplatform-ip-10.42.200.5}; IPv6 fully expanded with dashes: {@code kubeplatform-ip-fd00-0000-...}. */
    static String objectName(String ip) {
        IPAddress address = new IPAddressString(ip).getAddress();
        if (address == null) {
            throw new IllegalArgumentException("not an IP address: " + ip);
        }
        String text = address.isIPv4() ? address.toNormalizedString() : address.toFullString().replace(':', '-');
        return NAME_PREFIX + text.toLowerCase(java.util.Locale.ROOT);
    }

    static String identityHash(String identity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
