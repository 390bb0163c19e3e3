package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The object store behind the mock's CRUD dispatcher, indexed by resource, namespace and name the way etcd keys are,
 * so that a request touches only the objects of its own key range. The mock looks every object up by scanning all
 * stored objects and matching attribute sets, which made each request cost O(objects) (about 40% of the CPU of a
 * 300-identity rollout went into that scan) where a real API server reads one key or one key prefix. A lookup here
 * still matches attribute sets exactly as the mock does, but only over the bucket the request's own resource,
 * namespace and name select (a superset of what can match, since a match needs those attributes).
 */
final class IndexedStore extends AbstractMap<AttributeSet, String> {

    private static final String PLURAL = "plural";
    private static final String NAMESPACE = "namespace";
    private static final String NAME = "name";

    /** Where the current thread's lookup may look: resource, and namespace and name when the request names them. */
    private record Scope(String plural, Optional<String> namespace, Optional<String> name) {
    }

    private static final ThreadLocal<Scope> SCOPE = new ThreadLocal<>();

    private final Map<AttributeSet, String> all = new LinkedHashMap<>();
    /** resource → "namespace/name" → the objects stored under that key (one, unless API versions differ). */
    private final Map<String, TreeMap<String, Map<AttributeSet, String>>> index = new HashMap<>();

    /**
     * Replaces the store of {@code dispatcher} (a final field of the mock's {@link CrudDispatcher}, set once at
     * construction, before any request) with an indexed one.
     */
    static void install(KubernetesCrudDispatcher dispatcher) {
        try {
            java.lang.reflect.Field field = CrudDispatcher.class.getDeclaredField("map");
            field.setAccessible(true);
            if (!((Map<?, ?>) field.get(dispatcher)).isEmpty()) {
                throw new IllegalStateException("the store must be replaced before anything is stored");
            }
            field.set(dispatcher, new IndexedStore());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot index the mock's object store", e);
        }
    }

    /** Runs {@code lookup} with the current thread's lookups limited to the key range {@code query} names. */
    static <T> T scoped(AttributeSet query, java.util.function.Supplier<T> lookup) {
        Optional<String> plural = single(query, PLURAL);
        if (plural.isEmpty()) {
            return lookup.get();
        }
        Scope previous = SCOPE.get();
        SCOPE.set(new Scope(plural.get(), single(query, NAMESPACE), single(query, NAME)));
        try {
            return lookup.get();
        } finally {
            if (previous == null) {
                SCOPE.remove();
            } else {
                SCOPE.set(previous);
            }
        }
    }

    /** The one value an equality attribute of {@code set} requires, if it has exactly one. */
    private static Optional<String> single(AttributeSet set, String key) {
        Attribute a = set.getAttribute(key);
        if (a == null || a.getType() != AttributeType.WITH || a.getValues().size() != 1) {
            return Optional.empty();
        }
        // a create with generateName and no name asks for a null name
        return Optional.ofNullable(a.getValues().get(0)).map(Object::toString);
    }

    private static String bucketKey(AttributeSet stored) {
        return single(stored, NAMESPACE).orElse("") + "/" + single(stored, NAME).orElse("");
    }

    @Override
    public synchronized String put(AttributeSet key, String value) {
        String previous = all.put(key, value);
        index.computeIfAbsent(single(key, PLURAL).orElse(""), p -> new TreeMap<>())
                .computeIfAbsent(bucketKey(key), k -> new LinkedHashMap<>()).put(key, value);
        return previous;
    }

    @Override
    public synchronized String remove(Object key) {
        String previous = all.remove(key);
        if (previous != null && key instanceof AttributeSet set) {
            TreeMap<String, Map<AttributeSet, String>> byKey = index.get(single(set, PLURAL).orElse(""));
            if (byKey != null) {
                Map<AttributeSet, String> bucket = byKey.get(bucketKey(set));
                if (bucket != null) {
                    bucket.remove(set);
                    if (bucket.isEmpty()) {
                        byKey.remove(bucketKey(set));
                    }
                }
            }
        }
        return previous;
    }

    @Override
    public synchronized String get(Object key) {
        return all.get(key);
    }

    @Override
    public synchronized boolean containsKey(Object key) {
        return all.containsKey(key);
    }

    @Override
    public synchronized int size() {
        return all.size();
    }

    @Override
    public synchronized void clear() {
        all.clear();
        index.clear();
    }

    /**
     * A snapshot of the entries the current lookup may match: those of its key range inside {@link #scoped}, else
     * all of them.
     */
    @Override
    public synchronized Set<Entry<AttributeSet, String>> entrySet() {
        List<Entry<AttributeSet, String>> entries = new ArrayList<>();
        for (Map<AttributeSet, String> bucket : buckets()) {
            for (Entry<AttributeSet, String> e : bucket.entrySet()) {
                entries.add(new SimpleImmutableEntry<>(e.getKey(), e.getValue()));
            }
        }
        return listed(entries);
    }

    /** A set over a list whose elements are distinct (they come from maps): no hashing, iteration in list order. */
    private static <T> Set<T> listed(List<T> elements) {
        return new java.util.AbstractSet<>() {
            @Override
            public java.util.Iterator<T> iterator() {
                return java.util.Collections.unmodifiableList(elements).iterator();
            }

            @Override
            public int size() {
                return elements.size();
            }
        };
    }

    @Override
    public synchronized Set<AttributeSet> keySet() {
        List<AttributeSet> keys = new ArrayList<>();
        buckets().forEach(b -> keys.addAll(b.keySet()));
        return listed(keys);
    }

    @Override
    public synchronized Collection<String> values() {
        List<String> values = new ArrayList<>();
        buckets().forEach(b -> values.addAll(b.values()));
        return values;
    }

    private Collection<Map<AttributeSet, String>> buckets() {
        Scope scope = SCOPE.get();
        if (scope == null) {
            return List.of(all);
        }
        TreeMap<String, Map<AttributeSet, String>> byKey = index.get(scope.plural());
        if (byKey == null) {
            return List.of();
        }
        if (scope.namespace().isPresent() && scope.name().isPresent()) {
            Map<AttributeSet, String> bucket = byKey.get(scope.namespace().get() + "/" + scope.name().get());
            return bucket == null ? List.of() : List.of(bucket);
        }
        if (scope.namespace().isPresent()) {
            String prefix = scope.namespace().get() + "/";
            return byKey.subMap(prefix, prefix + Character.MAX_VALUE).values();
        }
        if (scope.name().isPresent()) { // a cluster-scoped object, or a name without a namespace
            List<Map<AttributeSet, String>> named = new ArrayList<>();
            byKey.forEach((k, bucket) -> {
                if (k.endsWith("/" + scope.name().get())) {
                    named.add(bucket);
                }
            });
            return named;
        }
        return byKey.values();
    }
}
