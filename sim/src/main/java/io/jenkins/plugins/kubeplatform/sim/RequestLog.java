package io.jenkins.plugins.kubeplatform.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * Every API request the simulated server answered, in arrival order. The plain views hold only requests from
 * clients outside the simulation (tests, the engine, kubectl); requests by the simulation's own controllers are
 * kept too and visible through {@link #allIncludingInternal()}.
 */
public final class RequestLog {

    private final ConcurrentLinkedQueue<ApiRequest> requests = new ConcurrentLinkedQueue<>();

    void add(ApiRequest request) {
        requests.add(request);
    }

    /** Requests from outside the simulation, oldest first. */
    public List<ApiRequest> list() {
        return matching(r -> !r.internal());
    }

    /** Every request including those of the simulated controllers. */
    public List<ApiRequest> allIncludingInternal() {
        return List.copyOf(requests);
    }

    /** External requests that satisfy the predicate. */
    public List<ApiRequest> matching(Predicate<ApiRequest> filter) {
        List<ApiRequest> out = new ArrayList<>();
        for (ApiRequest r : requests) {
            if (filter.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Number of external requests. */
    public int count() {
        return list().size();
    }

    /** External, non-discovery requests by RBAC resource (with group prefix {@code group/} when not core). */
    public Map<String, Set<String>> verbsByResource() {
        Map<String, Set<String>> out = new TreeMap<>();
        for (ApiRequest r : list()) {
            if (!r.isDiscovery()) {
                String key = r.group().isEmpty() ? r.rbacResource() : r.group() + "/" + r.rbacResource();
                out.computeIfAbsent(key, k -> new TreeSet<>()).add(r.verb());
            }
        }
        return out;
    }

    /** Verbs used on one RBAC resource (e.g. {@code pods}, {@code pods/eviction}, {@code deployments}) in any group. */
    public Set<String> verbs(String rbacResource) {
        Set<String> out = new TreeSet<>();
        for (ApiRequest r : list()) {
            if (r.rbacResource().equals(rbacResource)) {
                out.add(r.verb());
            }
        }
        return out;
    }

    /** Forgets everything recorded so far (e.g. after test setup). */
    public void clear() {
        requests.clear();
    }
}
