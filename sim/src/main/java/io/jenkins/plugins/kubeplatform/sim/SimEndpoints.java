package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The simulation's own HTTP endpoints beside the Kubernetes API, under {@code /sim/} (never recorded in the request
 * log themselves), so anyone can count a command's requests against {@code kubeplatform sim serve}:
 * <ul>
 *   <li>{@code GET /sim/requests}: counters (total, by verb, by resource, by status) and the requests, oldest first;
 *       {@code ?internal=true} includes the simulated controllers' own requests, {@code ?summary=true} leaves the
 *       list out</li>
 *   <li>{@code DELETE /sim/requests}: forgets everything recorded so far (e.g. before the command to measure)</li>
 * </ul>
 */
final class SimEndpoints {

    static final String PREFIX = "/sim/";

    private final RequestLog log;

    SimEndpoints(RequestLog log) {
        this.log = log;
    }

    /** The answer for a request under {@link #PREFIX}, or empty when the path is not one of ours. */
    Optional<MockResponse> answer(String method, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        if (!path.equals("/sim/requests") && !path.equals("/sim/requests/")) {
            return path.startsWith(PREFIX) ? Optional.of(json(404, Map.of("message", "no such endpoint: " + path
                    + "; known: GET/DELETE /sim/requests"))) : Optional.empty();
        }
        return Optional.of(switch (method) {
            case "GET" -> json(200, requests(flag(query, "internal"), flag(query, "summary")));
            case "DELETE" -> {
                int cleared = log.allIncludingInternal().size();
                log.clear();
                yield json(200, Map.of("cleared", cleared));
            }
            default -> json(405, Map.of("message", "method " + method + " not allowed on /sim/requests; use GET or DELETE"));
        });
    }

    private Map<String, Object> requests(boolean internal, boolean summary) {
        List<ApiRequest> all = internal ? log.allIncludingInternal() : log.list();
        Map<String, Integer> byVerb = new TreeMap<>();
        Map<String, Integer> byResource = new TreeMap<>();
        Map<String, Integer> byStatus = new TreeMap<>();
        List<Map<String, Object>> list = new ArrayList<>();
        for (ApiRequest r : all) {
            byVerb.merge(r.verb(), 1, Integer::sum);
            byResource.merge(r.isDiscovery() ? "(discovery)" : r.group().isEmpty() ? r.rbacResource()
                    : r.group() + "/" + r.rbacResource(), 1, Integer::sum);
            byStatus.merge(Integer.toString(r.status()), 1, Integer::sum);
            if (!summary) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("at", r.at().toString());
                m.put("method", r.method());
                m.put("verb", r.verb());
                m.put("path", r.pathAndQuery());
                m.put("status", r.status());
                m.put("internal", r.internal());
                list.add(m);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", all.size());
        out.put("writes", all.stream().filter(r -> switch (r.verb()) {
            case "create", "update", "patch", "delete", "deletecollection" -> true;
            default -> false;
        }).count());
        out.put("byVerb", byVerb);
        out.put("byResource", byResource);
        out.put("byStatus", byStatus);
        if (!summary) {
            out.put("requests", list);
        }
        return out;
    }

    private static boolean flag(String query, String name) {
        for (String part : query.split("&")) {
            if (part.equals(name) || part.equals(name + "=true") || part.equals(name + "=1")) {
                return true;
            }
        }
        return false;
    }

    private static MockResponse json(int code, Object body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(Serialization.asJson(body));
    }
}
