package io.jenkins.plugins.kubeplatform.engine.core;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an operation would change, computed by the engine's own planning step before it applies (or instead of
 * applying, for a dry run): the cluster objects it would create, update or delete, the local records (ledger,
 * domain registry, VM inventory) it would change, and notes on what it would wait for.
 *
 * @param objects cluster writes, in the order the operation performs them
 * @param state   changes to local state files, in order
 * @param notes   steps that write nothing but that a run performs (waits, the repair command, a verification)
 */
public record ChangePlan(List<ObjectChange> objects, List<StateChange> state, List<String> notes) {

    public ChangePlan {
        objects = List.copyOf(objects);
        state = List.copyOf(state);
        notes = List.copyOf(notes);
    }

    /**
     * One cluster write.
     *
     * @param action  {@code create}, {@code update}, {@code delete}, {@code evict} or {@code unchanged}
     * @param cluster the configured cluster name the write goes to; empty for the main cluster
     * @param object  the full object that would be sent (absent for a delete or eviction)
     */
    public record ObjectChange(String action, String kind, String cluster, String namespace, String name,
                               String detail, Optional<HasMetadata> object) {

        public boolean writes() {
            return !"unchanged".equals(action);
        }
    }

    /**
     * One change to a local record.
     *
     * @param store  {@code ledger}, {@code domain-registry} or {@code vm-inventory}
     * @param change what happens to the entry, e.g. {@code add}, {@code update}, {@code remove}
     * @param key    the entry's key (identity, host, VM name)
     */
    public record StateChange(String store, String change, String key, String detail) {
    }

    /** Collects a plan in the order its steps are decided. */
    public static final class Builder {
        private final List<ObjectChange> objects = new ArrayList<>();
        private final List<StateChange> state = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        public Builder object(String action, HasMetadata object, String detail) {
            return object(action, "", object, detail);
        }

        public Builder object(String action, String cluster, HasMetadata object, String detail) {
            objects.add(new ObjectChange(action, object.getKind(), cluster, object.getMetadata().getNamespace(),
                    object.getMetadata().getName(), detail, Optional.of(object)));
            return this;
        }

        public Builder object(String action, String kind, String cluster, String namespace, String name, String detail) {
            objects.add(new ObjectChange(action, kind, cluster, namespace, name, detail, Optional.empty()));
            return this;
        }

        public Builder object(ObjectChange change) {
            objects.add(change);
            return this;
        }

        public Builder state(String store, String change, String key, String detail) {
            state.add(new StateChange(store, change, key, detail));
            return this;
        }

        public Builder note(String note) {
            notes.add(note);
            return this;
        }

        public ChangePlan build() {
            return new ChangePlan(objects, state, notes);
        }
    }

    /** The cluster writes (objects that are not {@code unchanged}). */
    public List<ObjectChange> writes() {
        return objects.stream().filter(ObjectChange::writes).toList();
    }

    /** The plan as the documented document fields {@code objects}, {@code state} and {@code notes}. */
    public Map<String, Object> toMap() {
        List<Map<String, Object>> os = new ArrayList<>();
        for (ObjectChange o : objects) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("action", o.action());
            m.put("kind", o.kind());
            m.put("cluster", o.cluster());
            m.put("namespace", o.namespace());
            m.put("name", o.name());
            m.put("detail", o.detail());
            o.object().ifPresent(x -> m.put("object", x));
            os.add(m);
        }
        List<Map<String, Object>> ss = new ArrayList<>();
        for (StateChange s : state) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("store", s.store());
            m.put("change", s.change());
            m.put("key", s.key());
            m.put("detail", s.detail());
            ss.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("objects", os);
        m.put("state", ss);
        m.put("notes", notes);
        return m;
    }
}
