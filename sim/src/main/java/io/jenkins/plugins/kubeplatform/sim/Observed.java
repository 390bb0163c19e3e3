package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The latest known state of one kind of object, kept current by a watch. Controllers may {@link #put} what a write
 * returned so that their next decision already sees it (a later, older watch event never overwrites a newer
 * version).
 */
public final class Observed<T extends HasMetadata> {

    private final Map<String, T> objects = new ConcurrentHashMap<>();
    private final Map<String, Long> deletedAt = new ConcurrentHashMap<>();

    static String key(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return (ns == null ? "" : ns) + "/" + o.getMetadata().getName();
    }

    private static long version(HasMetadata o) {
        try {
            return Long.parseLong(o.getMetadata().getResourceVersion());
        } catch (RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Records a newer version; returns false if the cache already had this version or a newer one. */
    public boolean put(T object) {
        String key = key(object);
        long v = version(object);
        Long gone = deletedAt.get(key);
        if (gone != null) {
            if (v <= gone) {
                return false;
            }
            deletedAt.remove(key);
        }
        boolean[] changed = {false};
        objects.compute(key, (k, old) -> {
            if (old == null || version(old) < v || v == Long.MAX_VALUE) {
                changed[0] = true;
                return object;
            }
            return old;
        });
        return changed[0];
    }

    /** Forgets an object; returns false if it was not known. */
    public boolean remove(T object) {
        String key = key(object);
        deletedAt.merge(key, version(object), Math::max);
        return objects.remove(key) != null;
    }

    public Optional<T> get(String namespace, String name) {
        return Optional.ofNullable(objects.get((namespace == null ? "" : namespace) + "/" + name));
    }

    public List<T> list() {
        return new ArrayList<>(objects.values());
    }

    public List<T> list(Predicate<T> filter) {
        List<T> out = new ArrayList<>();
        for (T t : objects.values()) {
            if (filter.test(t)) {
                out.add(t);
            }
        }
        return out;
    }

    public List<T> inNamespace(String namespace) {
        return list(t -> namespace.equals(t.getMetadata().getNamespace()));
    }

    /** Drops objects not in the given fresh listing; returns the dropped ones. */
    List<T> retainOnly(List<T> listed) {
        Map<String, T> fresh = new ConcurrentHashMap<>();
        for (T t : listed) {
            fresh.put(key(t), t);
        }
        List<T> dropped = new ArrayList<>();
        for (T t : list()) {
            if (!fresh.containsKey(key(t))) {
                objects.remove(key(t));
                dropped.add(t);
            }
        }
        return dropped;
    }
}
