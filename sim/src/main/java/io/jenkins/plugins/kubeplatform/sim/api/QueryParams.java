package io.jenkins.plugins.kubeplatform.sim.api;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The decoded query parameters of a request, in order; the last value of a repeated key wins. */
public final class QueryParams {

    private final Map<String, String> values = new LinkedHashMap<>();

    private QueryParams() {
    }

    public static QueryParams parse(String query) {
        QueryParams params = new QueryParams();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String part : query.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = decode(eq < 0 ? part : part.substring(0, eq));
            String value = eq < 0 ? "" : decode(part.substring(eq + 1));
            params.values.put(key, value);
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String getOrEmpty(String key) {
        return values.getOrDefault(key, "");
    }

    public boolean flag(String key) {
        String v = values.get(key);
        return v != null && (v.isEmpty() || v.equals("true") || v.equals("1"));
    }

    /** The query string without the given keys, re-encoded; empty when nothing is left. */
    public String without(Set<String> keys) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!keys.contains(e.getKey())) {
                parts.add(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            }
        }
        return String.join("&", parts);
    }
}
