package io.jenkins.plugins.kubeplatform.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Server-side apply: field ownership in {@code metadata.managedFields} (FieldsV1), conflicts with other managers'
 * fields (unless forced), removal of fields a manager stopped applying and nobody else owns, and {@code Update}
 * entries for ordinary writes to objects that have apply managers.
 */
public final class ServerSideApply {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One conflicting field: the other manager and the field path in the API server's notation. */
    public record Conflict(String manager, String apiVersion, String field) {
    }

    /** The outcome of an apply: the new object, or the conflicts that stopped it. */
    public record Result(JsonNode object, List<Conflict> conflicts) {
    }

    private record Entry(String manager, String operation, String apiVersion, String subresource,
            Set<List<String>> fields, String time) {
    }

    private ServerSideApply() {
    }

    /**
     * Applies {@code applied} as {@code manager} to {@code current} (null when the object does not exist yet).
     * {@code strategic}: lists of built-in types merge by their merge keys; otherwise lists are atomic.
     */
    public static Result apply(JsonNode current, ObjectNode applied, String manager, boolean force,
            boolean strategic, Instant now) {
        ObjectNode config = applied.deepCopy();
        config.remove("status");
        String apiVersion = config.path("apiVersion").asText("");
        Set<List<String>> appliedFields = fields(config, strategic);
        List<Entry> entries = current == null ? new ArrayList<>() : entries(current);
        List<Conflict> conflicts = new ArrayList<>();
        for (List<String> path : appliedFields) {
            for (Entry e : entries) {
                if (e.manager().equals(manager) && e.operation().equals("Apply")) {
                    continue;
                }
                if (e.fields().contains(path) && current != null
                        && !equal(valueAt(current, path), valueAt(config, path))) {
                    conflicts.add(new Conflict(e.manager(), e.apiVersion(), render(path)));
                }
            }
        }
        if (!conflicts.isEmpty() && !force) {
            return new Result(null, conflicts);
        }
        Set<List<String>> previous = new LinkedHashSet<>();
        List<Entry> kept = new ArrayList<>();
        for (Entry e : entries) {
            if (e.manager().equals(manager) && e.operation().equals("Apply")) {
                previous.addAll(e.fields());
                continue;
            }
            Set<List<String>> f = new LinkedHashSet<>(e.fields());
            f.removeAll(appliedFields);
            if (!f.isEmpty()) {
                kept.add(new Entry(e.manager(), e.operation(), e.apiVersion(), e.subresource(), f, e.time()));
            }
        }
        ObjectNode base = current == null ? JsonNodeFactory.instance.objectNode() : ((ObjectNode) current).deepCopy();
        previous.removeAll(appliedFields);
        for (List<String> gone : previous) {
            boolean ownedElsewhere = kept.stream().anyMatch(e -> e.fields().contains(gone));
            if (!ownedElsewhere) {
                remove(base, gone);
            }
        }
        JsonNode merged = strategic ? Patches.strategicMergePatch(base, config) : mergeAtomic(base, config);
        kept.add(new Entry(manager, "Apply", apiVersion, "", appliedFields, time(now)));
        ((ObjectNode) merged.path("metadata")).set("managedFields", managedFields(kept));
        return new Result(merged, List.of());
    }

    /**
     * Records an ordinary write ({@code Update}) by {@code manager} on an object that has apply managers: the
     * fields it changed become its own and leave the other managers. Objects without managed fields are left as
     * they are.
     */
    public static JsonNode recordUpdate(JsonNode before, JsonNode after, String manager, String subresource,
            boolean strategic, Instant now) {
        if (before == null || !after.isObject() || !before.path("metadata").has("managedFields")) {
            return after;
        }
        List<Entry> entries = entries(before);
        Set<List<String>> changed = new LinkedHashSet<>();
        ObjectNode afterNoMeta = ((ObjectNode) after).deepCopy();
        afterNoMeta.remove("status");
        ((ObjectNode) afterNoMeta.path("metadata")).retain("labels", "annotations");
        for (List<String> path : fields(afterNoMeta, strategic)) {
            if (!equal(valueAt(before, path), valueAt(after, path))) {
                changed.add(path);
            }
        }
        if (changed.isEmpty()) {
            return after;
        }
        List<Entry> out = new ArrayList<>();
        Set<List<String>> mine = new LinkedHashSet<>(changed);
        for (Entry e : entries) {
            if (e.manager().equals(manager) && e.operation().equals("Update")) {
                mine.addAll(e.fields());
                continue;
            }
            Set<List<String>> f = new LinkedHashSet<>(e.fields());
            f.removeAll(changed);
            if (!f.isEmpty()) {
                out.add(new Entry(e.manager(), e.operation(), e.apiVersion(), e.subresource(), f, e.time()));
            }
        }
        out.add(new Entry(manager, "Update", after.path("apiVersion").asText(""), subresource, mine, time(now)));
        ObjectNode result = ((ObjectNode) after).deepCopy();
        ((ObjectNode) result.path("metadata")).set("managedFields", managedFields(out));
        return result;
    }

    private static String time(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static JsonNode mergeAtomic(JsonNode target, JsonNode patch) {
        if (!patch.isObject() || target == null || !target.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode out = ((ObjectNode) target).deepCopy();
        patch.fields().forEachRemaining(e -> out.set(e.getKey(), mergeAtomic(out.get(e.getKey()), e.getValue())));
        return out;
    }

    /** Leaf field paths of an applied configuration ({@code f:name}, {@code k:{"name":"web"}}, {@code .}). */
    static Set<List<String>> fields(JsonNode config, boolean strategic) {
        Set<List<String>> out = new LinkedHashSet<>();
        Iterator<Map.Entry<String, JsonNode>> it = config.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (k.equals("apiVersion") || k.equals("kind")) {
                continue;
            }
            if (k.equals("metadata")) {
                for (String m : List.of("labels", "annotations")) {
                    JsonNode v = e.getValue().path(m);
                    if (v.isObject()) {
                        v.fieldNames().forEachRemaining(n -> out.add(List.of("f:metadata", "f:" + m, "f:" + n)));
                    }
                }
                continue;
            }
            collect(List.of("f:" + k), k, e.getValue(), strategic, out);
        }
        return out;
    }

    private static void collect(List<String> prefix, String field, JsonNode value, boolean strategic,
            Set<List<String>> out) {
        if (value.isObject() && value.size() > 0) {
            value.fields().forEachRemaining(e -> collect(append(prefix, "f:" + e.getKey()), e.getKey(), e.getValue(),
                    strategic, out));
            return;
        }
        String key = strategic ? mergeKey(field, value) : null;
        if (value.isArray() && key != null) {
            for (JsonNode element : value) {
                List<String> el = append(prefix, "k:{\"" + key + "\":" + element.get(key).toString() + "}");
                out.add(append(el, "."));
                element.fields().forEachRemaining(e -> {
                    if (!e.getKey().equals(key)) {
                        collect(append(el, "f:" + e.getKey()), e.getKey(), e.getValue(), strategic, out);
                    }
                });
            }
            return;
        }
        out.add(prefix);
    }

    private static String mergeKey(String field, JsonNode list) {
        if (!list.isArray() || list.isEmpty()) {
            return null;
        }
        String key = Patches.mergeKeyOf(field, list);
        if (key == null) {
            return null;
        }
        for (JsonNode element : list) {
            if (!element.isObject() || !element.has(key)) {
                return null;
            }
        }
        return key;
    }

    private static List<String> append(List<String> prefix, String token) {
        List<String> out = new ArrayList<>(prefix);
        out.add(token);
        return out;
    }

    private static JsonNode valueAt(JsonNode node, List<String> path) {
        JsonNode cur = node;
        for (String t : path) {
            if (cur == null || cur.isMissingNode()) {
                return null;
            }
            if (t.equals(".")) {
                return JsonNodeFactory.instance.textNode(".");
            }
            if (t.startsWith("f:")) {
                cur = cur.get(t.substring(2));
            } else {
                cur = element(cur, t);
            }
        }
        return cur;
    }

    private static JsonNode element(JsonNode list, String token) {
        if (!(list instanceof ArrayNode a)) {
            return null;
        }
        try {
            JsonNode key = JSON.readTree(token.substring(2));
            Map.Entry<String, JsonNode> k = key.fields().next();
            for (JsonNode el : a) {
                if (k.getValue().equals(el.get(k.getKey()))) {
                    return el;
                }
            }
        } catch (java.io.IOException e) {
            return null;
        }
        return null;
    }

    private static void remove(JsonNode root, List<String> path) {
        List<String> p = path.get(path.size() - 1).equals(".") ? path.subList(0, path.size() - 1) : path;
        JsonNode parent = valueAt(root, p.subList(0, p.size() - 1));
        String last = p.get(p.size() - 1);
        if (parent instanceof ObjectNode o && last.startsWith("f:")) {
            o.remove(last.substring(2));
        } else if (parent instanceof ArrayNode a) {
            JsonNode el = element(a, last);
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i) == el) {
                    a.remove(i);
                    break;
                }
            }
        }
    }

    private static boolean equal(JsonNode a, JsonNode b) {
        return a == null ? b == null : a.equals(b);
    }

    /** {@code .spec.template.spec.containers[name="web"].image}, the way the API server names conflicting fields. */
    static String render(List<String> path) {
        StringBuilder sb = new StringBuilder();
        for (String t : path) {
            if (t.equals(".")) {
                continue;
            }
            if (t.startsWith("f:")) {
                sb.append('.').append(t.substring(2));
            } else {
                String body = t.substring(3, t.length() - 1);
                int colon = body.indexOf("\":");
                sb.append('[').append(body, 1, colon).append('=').append(body.substring(colon + 2)).append(']');
            }
        }
        return sb.toString();
    }

    private static List<Entry> entries(JsonNode object) {
        List<Entry> out = new ArrayList<>();
        for (JsonNode e : object.path("metadata").path("managedFields")) {
            Set<List<String>> f = new LinkedHashSet<>();
            flatten(e.path("fieldsV1"), new ArrayList<>(), f);
            out.add(new Entry(e.path("manager").asText(""), e.path("operation").asText(""),
                    e.path("apiVersion").asText(""), e.path("subresource").asText(""), f, e.path("time").asText("")));
        }
        return out;
    }

    private static void flatten(JsonNode tree, List<String> prefix, Set<List<String>> out) {
        if (!tree.isObject() || tree.isEmpty()) {
            if (!prefix.isEmpty()) {
                out.add(List.copyOf(prefix));
            }
            return;
        }
        tree.fields().forEachRemaining(e -> {
            List<String> p = new ArrayList<>(prefix);
            p.add(e.getKey());
            flatten(e.getValue(), p, out);
        });
    }

    private static ArrayNode managedFields(List<Entry> entries) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Entry e : entries) {
            ObjectNode tree = JsonNodeFactory.instance.objectNode();
            for (List<String> path : e.fields()) {
                ObjectNode cur = tree;
                for (String t : path) {
                    cur = cur.has(t) ? (ObjectNode) cur.get(t) : cur.putObject(t);
                }
            }
            ObjectNode entry = out.addObject().put("manager", e.manager()).put("operation", e.operation())
                    .put("apiVersion", e.apiVersion()).put("time", e.time()).put("fieldsType", "FieldsV1");
            entry.set("fieldsV1", tree);
            if (!e.subresource().isEmpty()) {
                entry.put("subresource", e.subresource());
            }
        }
        return out;
    }

    /** Conflicts rendered as the API server's message. */
    public static String message(List<Conflict> conflicts) {
        Map<String, List<Conflict>> byManager = new LinkedHashMap<>();
        for (Conflict c : conflicts) {
            byManager.computeIfAbsent(c.manager(), k -> new ArrayList<>()).add(c);
        }
        StringBuilder sb = new StringBuilder("Apply failed with ").append(conflicts.size())
                .append(conflicts.size() == 1 ? " conflict: " : " conflicts: ");
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<Conflict>> e : byManager.entrySet()) {
            List<Conflict> cs = e.getValue();
            String head = (cs.size() == 1 ? "conflict with \"" : "conflicts with \"") + e.getKey() + "\""
                    + (cs.get(0).apiVersion().isEmpty() ? "" : " using " + cs.get(0).apiVersion());
            if (cs.size() == 1) {
                parts.add(head + ": " + cs.get(0).field());
            } else {
                StringBuilder p = new StringBuilder(head).append(':');
                cs.forEach(c -> p.append("\n- ").append(c.field()));
                parts.add(p.toString());
            }
        }
        return sb.append(String.join("\n", parts)).toString();
    }
}
