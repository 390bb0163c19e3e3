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
    /** Newest version reported to the handler per object, separate from what writes put into the cache. */
    private final Map<String, Long> reported = new ConcurrentHashMap<>();

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

    /**
     * Records an object seen through the watch or a listing; returns whether the handler should hear about it: a
     * version newer than any reported before. A controller's own write put into the cache does not count as
     * reported, so another writer's change merged into that write is still reported when its event arrives.
     */
    boolean observe(T object) {
        String key = key(object);
        long v = version(object);
        Long gone = deletedAt.get(key);
        if (gone != null && v <= gone) {
            return false;
        }
        put(object);
        Long last = reported.get(key);
        if (last != null && v <= last && v != Long.MAX_VALUE) {
            return false;
        }
        reported.put(key, v);
        return true;
    }

    /** Records a deletion seen through the watch; returns whether the handler should hear about it. */
    boolean observeDeleted(T object) {
        String key = key(object);
        deletedAt.merge(key, version(object), Math::max);
        boolean known = objects.remove(key) != null;
        return reported.remove(key) != null || known;
    }

    /** The freshest cached state of an object, or the object itself if the cache has none. */
    T freshest(T object) {
        T cached = objects.get(key(object));
        return cached == null ? object : cached;
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

    /** Objects missing from a listing taken at {@code listVersion} that the cache knew before it: they are gone. */
    List<T> missingFrom(List<T> listed, long listVersion) {
        Map<String, T> fresh = new ConcurrentHashMap<>();
        for (T t : listed) {
            fresh.put(key(t), t);
        }
        List<T> gone = new ArrayList<>();
        for (T t : list()) {
            if (!fresh.containsKey(key(t)) && version(t) <= listVersion && observeDeleted(t)) {
                gone.add(t);
            }
        }
        return gone;
    }
}
