package io.jenkins.plugins.kubeplatform.engine.edgevm;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.ConfigMapRecords;
import io.jenkins.plugins.kubeplatform.engine.kube.Conflicts;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore;
import io.jenkins.plugins.kubeplatform.engine.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The edge-VM inventory kept in the cluster, for several Jenkins controllers (or a controller and the CLI) sharing
 * one set of edge sites. One ConfigMap per record in one namespace, labelled {@value #STORE_LABEL}=
 * {@value #STORE_VALUE}:
 * <ul>
 *   <li>{@code kubeplatform-vm-<vm>}: the live record of a VM (one object per VM name, so the API server's name
 *       uniqueness keeps "a live VM name appears once" across writers: a new VM is a {@code create});</li>
 *   <li>{@code kubeplatform-vm-<vm>.<start millis>}: a deleted VM's record, kept for billing (the name is free
 *       again for a new VM);</li>
 *   <li>{@code kubeplatform-edgecluster-<name>}: an edge cluster the engine created.</li>
 * </ul>
 * A name that is not a DNS label is replaced by {@code h-} and the first 40 hex digits of its SHA-256.
 *
 * <p>{@link #update} reads every object (a consistent list, 500 per page), runs the decision on that inventory and
 * writes the difference, each write guarded: changes are updates carrying the object's {@code resourceVersion}
 * (409 Conflict when another writer changed it), new records are creates (AlreadyExists when another writer made
 * one), removals are deletes with a resourceVersion precondition. When a write meets another writer the decision is
 * re-run on a fresh read (at most {@value #MAX_DECISIONS} times, with jittered back-off). Ending a VM first updates
 * its live object to the deleted record (the guarded write that decides), then creates the kept copy, then deletes
 * the live object; a reader that finds both (a writer stopped in between) sees the record once.
 *
 * <p>A decision that changes several records (a new VM and the edge cluster made for it) is written record by
 * record: when a later write conflicts, the earlier ones stay and the decision is re-run on the inventory that
 * includes them (the engine's decisions are re-entrant: a re-run finds the created cluster and places the VM on it).
 */
public final class ClusterInventoryStore implements StateStore<Inventory> {

    public static final String STORE_LABEL = "kubeplatform.io/store";
    public static final String STORE_VALUE = "edge-vm-inventory";
    /** What an object holds: {@code vm} (live), {@code vm-ended} (kept for billing) or {@code edge-cluster}. */
    public static final String RECORD_LABEL = "kubeplatform.io/record";
    public static final String DATA_KEY = "record";
    /**
     * The write that created an object (random per {@link #update}): a create retried after a lost response
     * recognises its own object by it, never another writer's object with the same content.
     */
    public static final String WRITE_ANNOTATION = ConfigMapRecords.WRITE_ANNOTATION;
    static final String VM_PREFIX = "kubeplatform-vm-";
    static final String CLUSTER_PREFIX = "kubeplatform-edgecluster-";
    static final int MAX_DECISIONS = 20;
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private final String namespace;
    private final ConfigMapRecords records;

    public ClusterInventoryStore(KubernetesClient client, String namespace, ApiRetry retry, RandomGenerator jitter) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.records = new ConfigMapRecords(client, namespace, STORE_LABEL, STORE_VALUE, retry, jitter,
                this::failed);
    }

    public String namespace() {
        return namespace;
    }

    @Override
    public Inventory read() {
        return load().inventory();
    }

    @Override
    public <R> R update(Function<Inventory, Update<Inventory, R>> change) {
        return records.decide(MAX_DECISIONS, () -> {
            Loaded current = load();
            Update<Inventory, R> decision = change.apply(current.inventory());
            return !decision.changed() || write(current, desired(decision.state()))
                    ? ConfigMapRecords.Round.done(decision.result()) : ConfigMapRecords.Round.conflict();
        }, () -> new StoreException("the edge VM inventory in namespace " + namespace + " kept changing under "
                + MAX_DECISIONS + " decisions in a row (other controllers writing at the same time); retry", null));
    }

    // ---- the objects of an inventory ----

    /** One object as stored or wanted: its name, kind label and JSON. */
    private record Entry(String name, String kind, String json, String resourceVersion) {
    }

    private record Loaded(Inventory inventory, Map<String, Entry> objects) {
    }

    static String vmObject(String vm) {
        return VM_PREFIX + safe(vm);
    }

    static String endedVmObject(VmRecord r) {
        return vmObject(r.vm()) + "." + (r.start() == null ? 0 : r.start().toEpochMilli());
    }

    static String clusterObject(String name) {
        return CLUSTER_PREFIX + safe(name);
    }

    private static String safe(String name) {
        return name != null && DNS_LABEL.matcher(name).matches() ? name : "h-" + sha256(String.valueOf(name));
    }

    /** The objects that hold {@code inventory}: live records by VM name, ended ones by VM name and start. */
    private static Map<String, Entry> desired(Inventory inventory) {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (VmRecord r : inventory.vms()) {
            boolean live = r.state() != null && r.state().holdsResources();
            String name = live ? vmObject(r.vm()) : endedVmObject(r);
            if (out.put(name, new Entry(name, live ? "vm" : "vm-ended", encode(r), null)) != null) {
                throw new IllegalStateException("two inventory records map to object " + name + " (" + r.vm() + ")");
            }
        }
        for (EdgeClusterRecord c : inventory.createdClusters()) {
            String name = clusterObject(c.settings().name());
            out.put(name, new Entry(name, "edge-cluster", encode(c), null));
        }
        return out;
    }

    private Loaded load() {
        Map<String, Entry> objects = new LinkedHashMap<>();
        List<VmRecord> vms = new ArrayList<>();
        Map<String, VmRecord> ended = new LinkedHashMap<>();
        List<EdgeClusterRecord> clusters = new ArrayList<>();
        for (ConfigMap cm : records.list()) {
            String name = cm.getMetadata().getName();
            String json = cm.getData() == null ? null : cm.getData().get(DATA_KEY);
            String kind = cm.getMetadata().getLabels() == null ? "" : cm.getMetadata().getLabels()
                    .getOrDefault(RECORD_LABEL, "");
            if (json == null) {
                throw new StoreException("ConfigMap " + namespace + "/" + name + " of the edge VM inventory holds no '"
                        + DATA_KEY + "' entry (changed by hand?); restore it or delete it", null);
            }
            objects.put(name, new Entry(name, kind, json, cm.getMetadata().getResourceVersion()));
            if (kind.equals("edge-cluster")) {
                clusters.add(decode(name, json, EdgeClusterRecord.class));
            } else {
                VmRecord r = decode(name, json, VmRecord.class);
                if (r.state() != null && r.state().holdsResources()) {
                    vms.add(r);
                } else {
                    // an ended record, kept or not yet moved to its kept copy: the same record once
                    ended.putIfAbsent(endedVmObject(r), r);
                }
            }
        }
        vms.addAll(ended.values());
        vms.sort(Comparator.comparing(VmRecord::start, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(VmRecord::vm, Comparator.nullsFirst(Comparator.naturalOrder())));
        clusters.sort(Comparator.comparing(EdgeClusterRecord::created, Comparator.nullsFirst(
                Comparator.naturalOrder())).thenComparing(c -> c.settings().name()));
        Inventory inventory = new Inventory(vms, clusters);
        List<String> problems = Inventory.problems(inventory);
        if (!problems.isEmpty()) {
            throw new StoreException("the edge VM inventory in namespace " + namespace + " breaks its rules: "
                    + String.join("; ", problems), null);
        }
        return new Loaded(inventory, objects);
    }

    // ---- writing the difference ----

    /**
     * Writes what differs between the stored objects and {@code wanted}; false when another writer got there first
     * (the caller decides again on a fresh read).
     */
    private boolean write(Loaded current, Map<String, Entry> wanted) {
        Map<String, Entry> stored = new LinkedHashMap<>(current.objects());
        // 1. a VM that ends: its live object becomes the ended record (the guarded write that decides)
        for (Entry w : wanted.values()) {
            if (!w.kind().equals("vm-ended") || stored.containsKey(w.name())) {
                continue;
            }
            String live = w.name().substring(0, w.name().lastIndexOf('.'));
            Entry there = stored.get(live);
            if (there != null && there.kind().equals("vm") && !there.json().equals(w.json())
                    && sameVm(there.json(), w.json())) {
                String version = replace(there, w.json(), "vm");
                if (version == null) {
                    return false;
                }
                stored.put(live, new Entry(live, "vm", w.json(), version));
            }
        }
        // 2. kept copies of ended records, and new edge clusters
        for (Entry w : wanted.values()) {
            if (!w.kind().equals("vm") && !stored.containsKey(w.name()) && !create(w)) {
                return false;
            }
        }
        // 3. changed objects (a live object whose ended record is kept now may take a new VM of the same name)
        for (Entry w : wanted.values()) {
            Entry there = stored.get(w.name());
            if (there != null && !there.json().equals(w.json())) {
                if (replace(there, w.json(), w.kind()) == null) {
                    return false;
                }
                stored.remove(w.name());
            }
        }
        // 4. new VMs
        for (Entry w : wanted.values()) {
            if (w.kind().equals("vm") && !current.objects().containsKey(w.name()) && !create(w)) {
                return false;
            }
        }
        // 5. objects no record maps to any more (a live object whose record is now kept under its ended name)
        for (Entry there : stored.values()) {
            if (!wanted.containsKey(there.name()) && !delete(there)) {
                return false;
            }
        }
        return true;
    }

    private boolean sameVm(String a, String b) {
        VmRecord x = decode("", a, VmRecord.class);
        VmRecord y = decode("", b, VmRecord.class);
        return Objects.equals(x.vm(), y.vm()) && Objects.equals(x.start(), y.start());
    }

    private ConfigMap object(String name, String kind, String json, String resourceVersion) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withResourceVersion(resourceVersion)
                .addToLabels(KubeVirt.LABEL_MANAGED_BY, KubeVirt.MANAGED_BY)
                .addToLabels(STORE_LABEL, STORE_VALUE)
                .addToLabels(RECORD_LABEL, kind)
                .endMetadata().addToData(DATA_KEY, json).build();
    }

    /** Creates the object; false when another writer made one of that name. */
    private boolean create(Entry w) {
        return records.create(object(w.name(), w.kind(), w.json(), null), "record " + w.name()
                + " in the edge VM inventory").isPresent();
    }

    /** Updates the object guarded by its resourceVersion; the new resourceVersion, or null on a conflict. */
    private String replace(Entry there, String json, String kind) {
        return records.update(object(there.name(), kind, json, there.resourceVersion()), "update " + there.name()
                + " in the edge VM inventory").map(cm -> cm.getMetadata().getResourceVersion()).orElse(null);
    }

    /** Deletes the object if it is unchanged since it was read; false when another writer changed it. */
    private boolean delete(Entry there) {
        return records.delete(there.name(), there.resourceVersion(), "delete " + there.name()
                + " from the edge VM inventory");
    }

    private StoreException failed(String what, KubernetesClientException e) {
        if (Conflicts.isNotFound(e) && String.valueOf(e.getMessage()).contains("namespaces")) {
            return new StoreException("could not " + what + ": namespace '" + namespace + "' does not exist; create "
                    + "it (kubectl create namespace " + namespace + ") or set edgeVms.inventoryNamespace", e);
        }
        return new StoreException("could not " + what + " (namespace " + namespace + "): "
                + ApiRetry.serverMessage(e), e);
    }

    private static String encode(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T decode(String name, String json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("ConfigMap " + namespace + "/" + name + " of the edge VM inventory does not hold "
                    + "a readable record (changed by hand?): " + e.getOriginalMessage(), e);
        }
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
