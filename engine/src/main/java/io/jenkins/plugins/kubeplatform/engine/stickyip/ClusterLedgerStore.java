package io.jenkins.plugins.kubeplatform.engine.stickyip;

import com.fasterxml.jackson.core.JsonProcessingException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.ConfigMapRecords;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import io.jenkins.plugins.kubeplatform.engine.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The reservation ledger kept in the cluster, for teams with several Jenkins controllers (or a controller and the
 * CLI) sharing one address space. One ConfigMap per identity's reservation, named after its address (its IPv4
 * address when it is dual-stack), in one namespace: the API server's name uniqueness makes "two identities never
 * hold one address" a property of the cluster, so an allocation is one {@code create} (an {@code AlreadyExists}
 * means another writer took the address first: the decision is re-run on a fresh view). Changes to a reservation
 * are updates guarded by its {@code resourceVersion}; releases are deletes guarded the same way. Kube-OVN's
 * {@code IP} objects and Whereabouts' per-address reservations use the same shape.
 *
 * <p>A dual-stack identity's two addresses live in one object ({@value #DATA_KEY} holds the IPv4 reservation,
 * {@value #DATA_KEY_IPV6} the IPv6 one), so both families are reserved, changed and released by one write. Its IPv6
 * address is not in the name: the object carries it as the label {@value #IPV6_LABEL}, and a writer that wrote an
 * IPv6 address lists that label before acknowledging, like the identity check below. The release before this one
 * wrote a dual-stack identity as two objects (one per family); they are read as they are, and the next write of the
 * identity first moves both addresses into the IPv4 object (one guarded update), then removes the IPv6 object: a
 * writer stopped in between leaves the IPv6 address in both objects of the one identity, which reads as one
 * reservation and is completed by the next write.
 *
 * <p>"One address per identity and family" cannot be a name constraint at the same time, so a writer that created a
 * new identity's reservation lists the identity's objects (by a hashed label) before acknowledging; a writer that
 * sees another object for the same identity withdraws its own and decides again. Of two writers racing for one
 * identity at least one sees the other (each lists after its own create), so at most one acknowledges. A writer that
 * changes an existing object (a redeploy) first lists the identity's objects too and changes it only while it is the
 * only one; a withdrawal turns the object into a tombstone by an update guarded by the creator's resourceVersion, so
 * it fails once anyone changed the object. Together: two writers never acknowledge two addresses for one identity.
 *
 * <p>Every decision runs on a fresh, consistent list; a decision whose writes meet a concurrent writer is re-run
 * (bounded), objects it created before giving up are withdrawn. Transient API failures are retried by the shared
 * {@link ApiRetry} policy; a create retried after a lost response recognises its own object by its write-id.
 */
public final class ClusterLedgerStore implements LedgerStore {

    /** Marks the objects of this store; with the project's managed-by label. */
    public static final String STORE_LABEL = "kubeplatform.io/store";
    public static final String STORE_VALUE = "ip-ledger";
    /** The first 40 hex digits of the SHA-256 of the identity: a label value cannot hold every identity text. */
    public static final String IDENTITY_LABEL = "kubeplatform.io/identity-hash";
    /** The IPv6 address an object holds, fully expanded with dashes ({@code fd00-0010-...-0001}). */
    public static final String IPV6_LABEL = "kubeplatform.io/ipv6-address";
    /** The reservation of the address the object is named after. */
    public static final String DATA_KEY = "reservation";
    /** A dual-stack identity's IPv6 reservation, beside its IPv4 one under {@value #DATA_KEY}. */
    public static final String DATA_KEY_IPV6 = "reservation-ipv6";
    /**
     * Marks an object its creator made and nobody else has confirmed: until another writer confirms it (an update
     * guarded by its resourceVersion, which also clears this mark), its creator may still withdraw it.
     */
    public static final String PENDING = "kubeplatform.io/pending";
    /** Marks an object being removed (see {@link #retire}); its addresses stay taken until it is gone. */
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
        Map<String, Held> createdHere = new LinkedHashMap<>();
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
                withdraw(createdHere.values());
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
     * reservation or holds another address than its name says (changed by hand), and an identity holding two
     * addresses of one family in two objects. Empty when the ledger is sound.
     */
    public List<String> verify() {
        List<String> problems = new ArrayList<>();
        Map<String, Map.Entry<String, String>> objectByKey = new HashMap<>();
        for (ConfigMap cm : records.list()) {
            if (withdrawn(cm)) {
                continue; // being removed by its writer
            }
            try {
                for (Reservation r : decodeAll(cm)) {
                    Map.Entry<String, String> other = objectByKey.putIfAbsent(keyOf(r),
                            Map.entry(cm.getMetadata().getName(), objectName(r.ip())));
                    if (other != null && !other.getValue().equals(objectName(r.ip()))) {
                        problems.add(r.identity() + " is held by two objects of one address family: "
                                + other.getKey() + " and " + cm.getMetadata().getName());
                    }
                }
            } catch (StoreException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    // ---- reading ----

    /** One object: its reservations (IPv4 first; two for a dual-stack identity). */
    private record Held(String name, String resourceVersion, List<Reservation> reservations, boolean pending) {
        String identity() {
            return reservations.get(0).identity();
        }

        Set<String> addresses() {
            Set<String> out = new LinkedHashSet<>();
            reservations.forEach(r -> out.add(objectName(r.ip())));
            return out;
        }
    }

    private static final class Loaded {
        final LedgerTable table = new LedgerTable();
        /** By (identity, family) key ({@link LedgerTable#familyKey}): the object holding that family's address. */
        final Map<String, Held> byKey = new HashMap<>();
        /** (identity, family) keys with more than one object: a writer between its create and its identity check. */
        final Map<String, List<String>> contested = new HashMap<>();
        /** By identity: objects whose every address another object of the identity holds (a migration's leftover). */
        final Map<String, List<Held>> leftovers = new HashMap<>();

        List<Held> objectsOf(String identity) {
            Set<Held> out = new LinkedHashSet<>();
            for (boolean ipv4 : new boolean[] {true, false}) {
                Optional.ofNullable(byKey.get(LedgerTable.familyKey(identity, ipv4))).ifPresent(out::add);
            }
            out.addAll(leftovers.getOrDefault(identity, List.of()));
            return new ArrayList<>(out);
        }

        Optional<Reservation> heldFor(String key) {
            Held held = byKey.get(key);
            return held == null ? Optional.empty()
                    : held.reservations().stream().filter(r -> keyOf(r).equals(key)).findFirst();
        }
    }

    private Loaded load() {
        Loaded loaded = new Loaded();
        List<Reservation> extras = new ArrayList<>();
        List<ConfigMap> objects = new ArrayList<>(records.list());
        // dual-stack objects first: a one-family object holding one of their addresses is then the leftover
        objects.sort(Comparator.comparingInt(cm -> cm.getData() != null && cm.getData().containsKey(DATA_KEY_IPV6)
                ? 0 : 1));
        for (ConfigMap cm : objects) {
            if (withdrawn(cm)) {
                addressesOf(cm).forEach(ip -> loaded.table.apply(new LedgerChange.Put(new Reservation(
                        CONTESTED + "withdrawn@" + ip, "", ip, Reservation.Kind.ADOPTED, Reservation.State.IDLE, null,
                        null, null, Instant.EPOCH, 0))));
                continue;
            }
            Held held = held(cm);
            boolean leftover = true;
            for (Reservation r : held.reservations()) {
                Held earlier = loaded.byKey.get(keyOf(r));
                if (earlier == null) {
                    loaded.byKey.put(keyOf(r), held);
                    loaded.table.apply(new LedgerChange.Put(r));
                    leftover = false;
                } else if (!earlier.addresses().contains(objectName(r.ip()))) {
                    loaded.contested.computeIfAbsent(keyOf(r), k -> new ArrayList<>(List.of(earlier.name())))
                            .add(held.name());
                    extras.add(r);
                    leftover = false;
                }
            }
            if (leftover) {
                loaded.leftovers.computeIfAbsent(held.identity(), k -> new ArrayList<>()).add(held);
            }
        }
        for (Reservation extra : extras) {
            // the address stays taken while its writer withdraws it
            loaded.table.apply(new LedgerChange.Put(new Reservation(CONTESTED + extra.identity() + "@" + extra.ip(),
                    extra.pool(), extra.ip(), Reservation.Kind.ADOPTED, extra.state(), extra.node(), extra.idleSince(),
                    extra.owner(), extra.created(), extra.revision())));
        }
        return loaded;
    }

    private Held held(ConfigMap cm) {
        return new Held(cm.getMetadata().getName(), cm.getMetadata().getResourceVersion(), decodeAll(cm),
                cm.getMetadata().getAnnotations() != null && cm.getMetadata().getAnnotations().containsKey(PENDING));
    }

    private static boolean withdrawn(ConfigMap cm) {
        return cm.getMetadata().getAnnotations() != null && cm.getMetadata().getAnnotations().containsKey(WITHDRAWN);
    }

    /** The addresses a tombstone still stands for: its name's ({@code kubeplatform-ip-10.42.200.7}) and its IPv6 label's. */
    private static List<String> addressesOf(ConfigMap cm) {
        List<String> out = new ArrayList<>();
        String name = cm.getMetadata().getName();
        if (name.startsWith(NAME_PREFIX)) {
            addressOf(name.substring(NAME_PREFIX.length())).ifPresent(out::add);
        }
        Map<String, String> labels = cm.getMetadata().getLabels();
        if (labels != null && labels.containsKey(IPV6_LABEL)) {
            addressOf(labels.get(IPV6_LABEL)).filter(ip -> !out.contains(ip)).ifPresent(out::add);
        }
        return out;
    }

    /** The address of a name's or a label's text: IPv4 as it is, IPv6 with dashes for colons. */
    private static Optional<String> addressOf(String text) {
        String ip = text.contains(".") ? text : text.replace('-', ':');
        return new IPAddressString(ip).getAddress() == null ? Optional.empty() : Optional.of(ip);
    }

    /** The reservations an object holds: one, or a dual-stack identity's two (IPv4 first). */
    private List<Reservation> decodeAll(ConfigMap cm) {
        String name = cm.getMetadata().getName();
        Reservation first = decode(cm, DATA_KEY);
        String ipv6 = cm.getData().get(DATA_KEY_IPV6);
        if (!objectName(first.ip()).equals(name)) {
            throw new StoreException("ConfigMap " + namespace + "/" + name + " of the IP ledger holds address "
                    + first.ip() + ", which belongs in " + objectName(first.ip()) + "; it was changed by hand", null);
        }
        if (ipv6 == null) {
            return List.of(first);
        }
        Reservation second = decode(cm, DATA_KEY_IPV6);
        if (!isIpv4(first) || isIpv4(second) || !first.identity().equals(second.identity())) {
            throw new StoreException("ConfigMap " + namespace + "/" + name + " of the IP ledger must hold one "
                    + "identity's IPv4 reservation under '" + DATA_KEY + "' and its IPv6 one under '" + DATA_KEY_IPV6
                    + "'; it was changed by hand: restore it or delete it", null);
        }
        return List.of(first, second);
    }

    private Reservation decode(ConfigMap cm, String key) {
        String name = cm.getMetadata().getName();
        String text = cm.getData() == null ? null : cm.getData().get(key);
        if (text == null) {
            throw new StoreException("ConfigMap " + namespace + "/" + name + " of the IP ledger has no '" + key
                    + "' entry; it was changed by hand: restore it or delete it, then retry", null);
        }
        try {
            return Json.mapper().readValue(text, Reservation.class);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new StoreException("ConfigMap " + namespace + "/" + name + " of the IP ledger does not hold a "
                    + "reservation (" + e.getMessage() + "); it was changed by hand: restore it or delete it", e);
        }
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
            public io.jenkins.plugins.kubeplatform.engine.stickyip.address.Occupancy reserved() {
                return view.reserved();
            }

            @Override
            public Optional<io.jenkins.plugins.kubeplatform.engine.stickyip.address.IntervalSet> reservedIpv6(long upper) {
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
            if (written.contains(identity)) {
                continue;
            }
            for (Held held : current.objectsOf(identity)) {
                if (held.reservations().stream().anyMatch(r -> current.contested.containsKey(keyOf(r)))
                        || !onlyHolderOf(held.reservations())) {
                    return false;
                }
                // acknowledging another writer's pending object: confirm it first, so that its creator can no longer
                // withdraw it (the confirmation fails, and the decision is made again, if anyone changed it meanwhile)
                if (held.pending() && !replace(held, held.reservations())) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---- writing ----

    /**
     * What one decision does to one identity: the reservations it holds afterwards (IPv4 first, none when
     * released), its objects now, and the object changed in place (named after the first address) if any.
     */
    private record Plan(List<Reservation> wanted, List<Held> objects, Optional<Held> inPlace) {
        Set<String> addresses() {
            Set<String> out = new LinkedHashSet<>();
            wanted.forEach(r -> out.add(objectName(r.ip())));
            return out;
        }

        /**
         * An object that holds an address the identity gives up, or has the name of the object to be created (it
         * gains an address nobody held): removed before anything is created.
         */
        boolean leaves(Held held) {
            return inPlace.map(h -> h != held).orElse(true) && (!addresses().containsAll(held.addresses())
                    || !wanted.isEmpty() && held.name().equals(objectName(wanted.get(0).ip())));
        }

        /** An object whose addresses another object of the identity holds afterwards: removed after the writes. */
        boolean leftover(Held held) {
            return inPlace.map(h -> h != held).orElse(true) && !leaves(held);
        }
    }

    /** Applies one decision's changes; false when a concurrent writer got in the way (the decision is re-run). */
    private boolean write(Loaded current, List<LedgerChange> changes, Map<String, Held> createdHere,
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
        for (String key : wanted.keySet()) {
            if (current.contested.containsKey(key)) {
                contested.append(LedgerTable.identityOfFamilyKey(key)).append(" (ConfigMaps ")
                        .append(String.join(", ", current.contested.get(key))).append(')');
                return false;
            }
        }
        List<Plan> plans = plans(current, wanted);
        // releases and moves away first: a decision may hand a released address to another identity
        for (Plan plan : plans) {
            for (Held held : plan.objects()) {
                if (plan.leaves(held) && !delete(held)) {
                    return false;
                }
            }
        }
        for (Plan plan : plans) {
            if (!plan.wanted().isEmpty() && !writeWanted(plan, createdHere)) {
                return false;
            }
        }
        for (Plan plan : plans) {
            for (Held held : plan.objects()) {
                if (plan.leftover(held) && !delete(held)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** One plan per identity the changes touch; a family the changes do not name keeps what it holds. */
    private static List<Plan> plans(Loaded current, Map<String, Optional<Reservation>> wanted) {
        Set<String> identities = new LinkedHashSet<>();
        wanted.keySet().forEach(k -> identities.add(LedgerTable.identityOfFamilyKey(k)));
        List<Plan> plans = new ArrayList<>();
        for (String identity : identities) {
            List<Reservation> next = new ArrayList<>();
            for (boolean ipv4 : new boolean[] {true, false}) {
                String key = LedgerTable.familyKey(identity, ipv4);
                Optional<Reservation> r = wanted.containsKey(key) ? wanted.get(key) : current.heldFor(key);
                r.ifPresent(next::add);
            }
            List<Held> objects = current.objectsOf(identity);
            Set<String> heldNow = new LinkedHashSet<>();
            objects.forEach(h -> heldNow.addAll(h.addresses()));
            // changed in place: the object named after the first address, when every address it gains is one the
            // identity already holds in another object (completing a two-object pair); else created anew
            Optional<Held> inPlace = next.isEmpty() ? Optional.empty() : objects.stream()
                    .filter(h -> h.name().equals(objectName(next.get(0).ip())))
                    .filter(h -> next.stream().allMatch(r -> h.addresses().contains(objectName(r.ip()))
                            || heldNow.contains(objectName(r.ip()))))
                    .findFirst();
            plans.add(new Plan(next, objects, inPlace));
        }
        return plans;
    }

    private boolean writeWanted(Plan plan, Map<String, Held> createdHere) {
        if (plan.inPlace().isEmpty()) {
            return create(plan.wanted(), createdHere);
        }
        Held held = plan.inPlace().get();
        // an object whose creator may still be checking is changed only while it is the identity's only one: a
        // creator that then sees another object can still withdraw its own (see the class comment)
        return held.reservations().equals(plan.wanted())
                || onlyHolderOf(held.reservations()) && replace(held, plan.wanted());
    }

    private ConfigMap object(String name, String resourceVersion, List<Reservation> rs) {
        ConfigMapBuilder b = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withResourceVersion(resourceVersion)
                .addToLabels(StickyIpLabels.MANAGED_BY, StickyIpLabels.MANAGER)
                .addToLabels(STORE_LABEL, STORE_VALUE)
                .addToLabels(IDENTITY_LABEL, identityHash(rs.get(0).identity()))
                .endMetadata().addToData(DATA_KEY, encode(rs.get(0)));
        ipv6Of(rs).ifPresent(ip -> b.editMetadata().addToLabels(IPV6_LABEL, ipv6Label(ip)).endMetadata());
        if (rs.size() == 2) {
            b.addToData(DATA_KEY_IPV6, encode(rs.get(1)));
        }
        return b.build();
    }

    private boolean create(List<Reservation> rs, Map<String, Held> createdHere) {
        String name = objectName(rs.get(0).ip());
        ConfigMap object = new ConfigMapBuilder(object(name, null, rs)).editMetadata()
                .addToAnnotations(PENDING, "true").endMetadata().build();
        Optional<ConfigMap> made = records.create(object, "reserve " + String.join(" and ",
                rs.stream().map(Reservation::ip).toList()) + " for " + rs.get(0).identity());
        if (made.isEmpty()) {
            return false; // taken by another writer
        }
        Held held = new Held(name, made.get().getMetadata().getResourceVersion(), rs, true);
        createdHere.put(name, held);
        if (onlyHolderOf(rs)) {
            return true;
        }
        withdraw(List.of(createdHere.remove(name)));
        return false;
    }

    /**
     * True when the reservations {@code rs} of one identity are its only ones of their families (else another writer
     * raced us for the identity) and their IPv6 address is held by no other identity (one not in an object's name).
     */
    private boolean onlyHolderOf(List<Reservation> rs) {
        String identity = rs.get(0).identity();
        Set<String> keys = new LinkedHashSet<>();
        Set<String> addresses = new LinkedHashSet<>();
        rs.forEach(r -> {
            keys.add(keyOf(r));
            addresses.add(objectName(r.ip()));
        });
        boolean alone = records.list(IDENTITY_LABEL, identityHash(identity)).stream().filter(cm -> !withdrawn(cm))
                .flatMap(cm -> decodeAll(cm).stream())
                .noneMatch(o -> o.identity().equals(identity) && keys.contains(keyOf(o))
                        && !addresses.contains(objectName(o.ip())));
        return alone && ipv6Of(rs).map(ip -> records.list(IPV6_LABEL, ipv6Label(ip)).stream()
                .filter(cm -> !withdrawn(cm)).flatMap(cm -> decodeAll(cm).stream())
                .noneMatch(o -> !o.identity().equals(identity) && objectName(o.ip()).equals(objectName(ip))))
                .orElse(true);
    }

    private boolean replace(Held held, List<Reservation> next) {
        return records.update(object(held.name(), held.resourceVersion(), next), "record " + next.get(0).identity()
                + " on " + String.join(" and ", next.stream().map(Reservation::ip).toList())).isPresent();
    }

    private boolean delete(Held held) {
        return retire(held, "release " + String.join(" and ", held.reservations().stream().map(Reservation::ip)
                .toList()) + " of " + held.identity());
    }

    /**
     * Removes an object only if nobody changed it since it was read: first an update guarded by its resourceVersion
     * turns it into a tombstone (a real server refuses it with 409 Conflict when the object changed, which a
     * delete's precondition would not guarantee on every server and client), then the tombstone is deleted. A
     * tombstone is never reused: views treat its addresses as taken until it is gone. False when the object changed
     * or vanished meanwhile (the caller decides again).
     */
    private boolean retire(Held held, String what) {
        ConfigMapBuilder b = new ConfigMapBuilder().withNewMetadata().withName(held.name()).withNamespace(namespace)
                .withResourceVersion(held.resourceVersion())
                .addToLabels(StickyIpLabels.MANAGED_BY, StickyIpLabels.MANAGER)
                .addToLabels(STORE_LABEL, STORE_VALUE)
                .addToAnnotations(WITHDRAWN, "true")
                .endMetadata();
        ipv6Of(held.reservations()).ifPresent(ip -> b.editMetadata().addToLabels(IPV6_LABEL, ipv6Label(ip))
                .endMetadata());
        Optional<ConfigMap> marked = records.update(b.build(), what);
        // nobody reuses a tombstone, so the delete is guarded only against a hand edit meanwhile
        marked.ifPresent(cm -> records.delete(held.name(), cm.getMetadata().getResourceVersion(), what));
        return marked.isPresent();
    }

    /** Best effort: removes objects this call created but never acknowledged, unless changed since by another writer. */
    private void withdraw(java.util.Collection<Held> created) {
        for (Held held : created) {
            try {
                retire(held, "withdraw " + held.name());
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

    private static boolean isIpv4(Reservation r) {
        return LedgerTable.key(r.ip()).isIpv4();
    }

    private static Optional<String> ipv6Of(List<Reservation> rs) {
        return rs.stream().filter(r -> !isIpv4(r)).map(Reservation::ip).findFirst();
    }

    /** The (identity, family) key of a reservation: an identity holds at most one address per family. */
    private static String keyOf(Reservation r) {
        return LedgerTable.familyKey(r.identity(), isIpv4(r));
    }

    /** {@code fd00-0010-0042-0000-0000-0000-0000-0001}: the object name's text of an IPv6 address, a label value. */
    static String ipv6Label(String ip) {
        return objectName(ip).substring(NAME_PREFIX.length());
    }

    /** {@code kubeplatform-ip-10.42.200.5}; IPv6 fully expanded with dashes: {@code kubeplatform-ip-fd00-0000-...}. */
    static String objectName(String ip) {
        IPAddress address = new IPAddressString(ip).getAddress();
        if (address == null) {
            throw new IllegalArgumentException("not an IP address: " + ip);
        }
        String text = address.isIPv4() ? address.toNormalizedString() : address.toFullString().replace(':', '-');
        return NAME_PREFIX + text.toLowerCase(Locale.ROOT);
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
