package io.jenkins.plugins.kubeplatform.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Server-side printing ({@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io}): a {@code meta.k8s.io/v1
 * Table} with the columns kube-apiserver's printers give each built-in kind (priority 1 columns are what
 * {@code -o wide} adds), a CRD's {@code additionalPrinterColumns}, and NAME/AGE for everything else.
 */
final class Tables {

    private record Column(String name, String type, int priority, Function<JsonNode, Object> cell) {
    }

    private Tables() {
    }

    static ObjectNode table(String group, String resource, JsonNode listOrObject, String includeObject,
            JsonNode crd, Instant now) {
        List<JsonNode> items = new ArrayList<>();
        if (listOrObject.has("items")) {
            listOrObject.path("items").forEach(items::add);
        } else {
            items.add(listOrObject);
        }
        List<Column> columns = columns(group, resource, crd, now);
        ObjectNode table = ApiSemantics.JSON.createObjectNode().put("kind", "Table").put("apiVersion",
                "meta.k8s.io/v1");
        ObjectNode meta = table.putObject("metadata");
        JsonNode listMeta = listOrObject.path("metadata");
        if (listOrObject.has("items")) {
            listMeta.fields().forEachRemaining(e -> meta.set(e.getKey(), e.getValue()));
        } else {
            meta.put("resourceVersion", listMeta.path("resourceVersion").asText(""));
        }
        ArrayNode defs = table.putArray("columnDefinitions");
        for (Column c : columns) {
            defs.addObject().put("name", c.name()).put("type", c.type()).put("format", c.name().equals("Name")
                    ? "name" : "").put("description", c.name()).put("priority", c.priority());
        }
        ArrayNode rows = table.putArray("rows");
        for (JsonNode item : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Column c : columns) {
                Object v = c.cell().apply(item);
                if (v instanceof Integer i) {
                    cells.add(i);
                } else if (v instanceof Long l) {
                    cells.add(l);
                } else if (v instanceof Boolean b) {
                    cells.add(b);
                } else {
                    cells.add(String.valueOf(v));
                }
            }
            if (includeObject.equals("Object")) {
                row.set("object", item);
            } else if (!includeObject.equals("None")) {
                ObjectNode partial = row.putObject("object").put("kind", "PartialObjectMetadata")
                        .put("apiVersion", "meta.k8s.io/v1");
                partial.set("metadata", item.path("metadata"));
            }
        }
        return table;
    }

    private static List<Column> columns(String group, String resource, JsonNode crd, Instant now) {
        Column name = new Column("Name", "string", 0, o -> o.path("metadata").path("name").asText());
        Column age = new Column("Age", "string", 0, o -> age(o.path("metadata").path("creationTimestamp"), now));
        String key = group.isEmpty() ? resource : group + "/" + resource;
        List<Column> out = new ArrayList<>();
        out.add(name);
        switch (key) {
            case "pods" -> {
                out.add(new Column("Ready", "string", 0, Tables::podReady));
                out.add(new Column("Status", "string", 0, Tables::podStatus));
                out.add(new Column("Restarts", "string", 0, o -> {
                    int n = 0;
                    for (JsonNode s : o.path("status").path("containerStatuses")) {
                        n += s.path("restartCount").asInt();
                    }
                    return Integer.toString(n);
                }));
                out.add(age);
                out.add(new Column("IP", "string", 1, o -> text(o.path("status").path("podIP"))));
                out.add(new Column("Node", "string", 1, o -> text(o.path("spec").path("nodeName"))));
                out.add(new Column("Nominated Node", "string", 1,
                        o -> text(o.path("status").path("nominatedNodeName"))));
                out.add(new Column("Readiness Gates", "string", 1, Tables::readinessGates));
            }
            case "nodes" -> {
                out.add(new Column("Status", "string", 0, Tables::nodeStatus));
                out.add(new Column("Roles", "string", 0, Tables::roles));
                out.add(age);
                out.add(new Column("Version", "string", 0,
                        o -> o.path("status").path("nodeInfo").path("kubeletVersion").asText("")));
                out.add(new Column("Internal-IP", "string", 1, o -> address(o, "InternalIP")));
                out.add(new Column("External-IP", "string", 1, o -> address(o, "ExternalIP")));
                out.add(new Column("OS-Image", "string", 1, o -> unknown(o.path("status").path("nodeInfo")
                        .path("osImage"))));
                out.add(new Column("Kernel-Version", "string", 1, o -> unknown(o.path("status").path("nodeInfo")
                        .path("kernelVersion"))));
                out.add(new Column("Container-Runtime", "string", 1, o -> unknown(o.path("status").path("nodeInfo")
                        .path("containerRuntimeVersion"))));
            }
            case "apps/deployments" -> {
                out.add(new Column("Ready", "string", 0, o -> o.path("status").path("readyReplicas").asInt() + "/"
                        + o.path("spec").path("replicas").asInt(1)));
                out.add(new Column("Up-to-date", "integer", 0, o -> o.path("status").path("updatedReplicas").asInt()));
                out.add(new Column("Available", "integer", 0,
                        o -> o.path("status").path("availableReplicas").asInt()));
                out.add(age);
                addContainers(out, "template");
            }
            case "apps/replicasets" -> {
                out.add(new Column("Desired", "integer", 0, o -> o.path("spec").path("replicas").asInt(1)));
                out.add(new Column("Current", "integer", 0, o -> o.path("status").path("replicas").asInt()));
                out.add(new Column("Ready", "integer", 0, o -> o.path("status").path("readyReplicas").asInt()));
                out.add(age);
                addContainers(out, "template");
            }
            case "apps/statefulsets" -> {
                out.add(new Column("Ready", "string", 0, o -> o.path("status").path("readyReplicas").asInt() + "/"
                        + o.path("spec").path("replicas").asInt(1)));
                out.add(age);
                out.add(new Column("Containers", "string", 1, o -> containers(o, "name")));
                out.add(new Column("Images", "string", 1, o -> containers(o, "image")));
            }
            case "apps/daemonsets" -> {
                out.add(new Column("Desired", "integer", 0,
                        o -> o.path("status").path("desiredNumberScheduled").asInt()));
                out.add(new Column("Current", "integer", 0,
                        o -> o.path("status").path("currentNumberScheduled").asInt()));
                out.add(new Column("Ready", "integer", 0, o -> o.path("status").path("numberReady").asInt()));
                out.add(new Column("Up-to-date", "integer", 0,
                        o -> o.path("status").path("updatedNumberScheduled").asInt()));
                out.add(new Column("Available", "integer", 0,
                        o -> o.path("status").path("numberAvailable").asInt()));
                out.add(new Column("Node Selector", "string", 0, o -> pairs(o.path("spec").path("template")
                        .path("spec").path("nodeSelector"), "<none>")));
                out.add(age);
                addContainers(out, "template");
            }
            case "services" -> {
                out.add(new Column("Type", "string", 0, o -> o.path("spec").path("type").asText("ClusterIP")));
                out.add(new Column("Cluster-IP", "string", 0, o -> o.path("spec").path("clusterIP").asText("<none>")));
                out.add(new Column("External-IP", "string", 0, Tables::externalIp));
                out.add(new Column("Port(s)", "string", 0, Tables::servicePorts));
                out.add(age);
                out.add(new Column("Selector", "string", 1, o -> pairs(o.path("spec").path("selector"), "<none>")));
            }
            case "namespaces" -> {
                out.add(new Column("Status", "string", 0, o -> o.path("status").path("phase").asText("Active")));
                out.add(age);
            }
            case "networking.k8s.io/ingresses" -> {
                out.add(new Column("Class", "string", 0, o -> o.path("spec").path("ingressClassName")
                        .asText("<none>")));
                out.add(new Column("Hosts", "string", 0, o -> {
                    List<String> hosts = new ArrayList<>();
                    o.path("spec").path("rules").forEach(r -> hosts.add(r.path("host").asText("*")));
                    return hosts.isEmpty() ? "*" : String.join(",", hosts);
                }));
                out.add(new Column("Address", "string", 0, o -> {
                    List<String> a = new ArrayList<>();
                    o.path("status").path("loadBalancer").path("ingress").forEach(i -> a.add(i.has("ip")
                            ? i.path("ip").asText() : i.path("hostname").asText()));
                    return String.join(",", a);
                }));
                out.add(new Column("Ports", "string", 0, o -> o.path("spec").path("tls").size() > 0 ? "80, 443"
                        : "80"));
                out.add(age);
            }
            case "serviceaccounts" -> {
                out.add(new Column("Secrets", "string", 0, o -> o.path("secrets").size()));
                out.add(age);
            }
            case "scheduling.k8s.io/priorityclasses" -> {
                out.add(new Column("Value", "integer", 0, o -> o.path("value").asLong()));
                out.add(new Column("Global-Default", "boolean", 0, o -> o.path("globalDefault").asBoolean(false)));
                out.add(age);
                out.add(new Column("PreemptionPolicy", "string", 0, o -> o.path("preemptionPolicy").asText("")));
            }
            case "configmaps" -> {
                out.add(new Column("Data", "integer", 0, o -> o.path("data").size() + o.path("binaryData").size()));
                out.add(age);
            }
            case "secrets" -> {
                out.add(new Column("Type", "string", 0, o -> o.path("type").asText("Opaque")));
                out.add(new Column("Data", "integer", 0, o -> o.path("data").size()));
                out.add(age);
            }
            case "batch/jobs" -> {
                out.add(new Column("Status", "string", 0, Tables::jobStatus));
                out.add(new Column("Completions", "string", 0, o -> o.path("status").path("succeeded").asInt() + "/"
                        + o.path("spec").path("completions").asInt(1)));
                out.add(age);
            }
            case "policy/poddisruptionbudgets" -> {
                out.add(new Column("Min Available", "string", 0, o -> na(o.path("spec").path("minAvailable"))));
                out.add(new Column("Max Unavailable", "string", 0, o -> na(o.path("spec").path("maxUnavailable"))));
                out.add(new Column("Allowed Disruptions", "integer", 0,
                        o -> o.path("status").path("disruptionsAllowed").asInt()));
                out.add(age);
            }
            case "events" -> {
                out.clear();
                out.add(new Column("Last Seen", "string", 0, o -> age(o.path("lastTimestamp").isMissingNode()
                        || o.path("lastTimestamp").isNull() ? o.path("eventTime") : o.path("lastTimestamp"), now)));
                out.add(new Column("Type", "string", 0, o -> o.path("type").asText("")));
                out.add(new Column("Reason", "string", 0, o -> o.path("reason").asText("")));
                out.add(new Column("Object", "string", 0, o -> o.path("involvedObject").path("kind").asText("")
                        .toLowerCase(java.util.Locale.ROOT) + "/" + o.path("involvedObject").path("name").asText()));
                out.add(new Column("Message", "string", 0, o -> o.path("message").asText("").trim()));
                out.add(new Column("Name", "string", 1, o -> o.path("metadata").path("name").asText()));
            }
            default -> {
                if (crd != null) {
                    for (JsonNode c : printerColumns(crd, resource)) {
                        String path = c.path("jsonPath").asText("");
                        out.add(new Column(c.path("name").asText(), c.path("type").asText("string"),
                                c.path("priority").asInt(0), o -> c.path("type").asText().equals("date")
                                        ? age(jsonPath(o, path), now) : jsonPathText(o, path)));
                    }
                    if (out.stream().noneMatch(x -> x.name().equals("Age"))) {
                        out.add(age);
                    }
                } else {
                    out.add(age);
                }
            }
        }
        return out;
    }

    private static JsonNode printerColumns(JsonNode crd, String resource) {
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.has("additionalPrinterColumns")) {
                return v.path("additionalPrinterColumns");
            }
        }
        return ApiSemantics.JSON.createArrayNode();
    }

    private static JsonNode jsonPath(JsonNode o, String path) {
        JsonNode cur = o;
        for (String p : path.replaceFirst("^\\.", "").split("\\.")) {
            if (p.isEmpty()) {
                continue;
            }
            if (cur.isArray()) {
                cur = cur.path(0);
            }
            cur = cur.path(p.replaceAll("\\[.*\\]$", ""));
        }
        return cur;
    }

    private static String jsonPathText(JsonNode o, String path) {
        JsonNode v = jsonPath(o, path);
        if (v.isMissingNode() || v.isNull()) {
            return "";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(x.isValueNode() ? x.asText() : x.toString()));
            return "[" + String.join(" ", parts) + "]";
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static void addContainers(List<Column> out, String template) {
        out.add(new Column("Containers", "string", 1, o -> containers(o, "name")));
        out.add(new Column("Images", "string", 1, o -> containers(o, "image")));
        out.add(new Column("Selector", "string", 1, o -> pairs(o.path("spec").path("selector").path("matchLabels"),
                "<none>")));
    }

    private static String containers(JsonNode o, String field) {
        List<String> v = new ArrayList<>();
        o.path("spec").path("template").path("spec").path("containers").forEach(c -> v.add(c.path(field).asText()));
        return String.join(",", v);
    }

    private static String pairs(JsonNode map, String none) {
        if (!map.isObject() || map.isEmpty()) {
            return none;
        }
        Map<String, String> sorted = new TreeMap<>();
        map.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
        List<String> parts = new ArrayList<>();
        sorted.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }

    private static String text(JsonNode v) {
        return v.isMissingNode() || v.isNull() || v.asText().isEmpty() ? "<none>" : v.asText();
    }

    private static String unknown(JsonNode v) {
        return v.isMissingNode() || v.asText().isEmpty() ? "<unknown>" : v.asText();
    }

    private static String na(JsonNode v) {
        return v.isMissingNode() || v.isNull() ? "N/A" : v.asText();
    }

    private static String podReady(JsonNode o) {
        int total = o.path("spec").path("containers").size();
        int ready = 0;
        for (JsonNode s : o.path("status").path("containerStatuses")) {
            if (s.path("ready").asBoolean()) {
                ready++;
            }
        }
        return ready + "/" + total;
    }

    private static String podStatus(JsonNode o) {
        if (o.path("metadata").has("deletionTimestamp")) {
            return "Terminating";
        }
        String reason = o.path("status").path("reason").asText("");
        String status = reason.isEmpty() ? o.path("status").path("phase").asText("Pending") : reason;
        for (JsonNode s : o.path("status").path("containerStatuses")) {
            JsonNode waiting = s.path("state").path("waiting");
            JsonNode terminated = s.path("state").path("terminated");
            if (waiting.has("reason") && !waiting.path("reason").asText().isEmpty()) {
                status = waiting.path("reason").asText();
            } else if (terminated.has("reason") && !terminated.path("reason").asText().isEmpty()) {
                status = terminated.path("reason").asText();
            }
        }
        if (status.equals("Pending") && o.path("spec").has("nodeName")
                && o.path("status").path("containerStatuses").isEmpty()) {
            return "ContainerCreating";
        }
        return status;
    }

    private static String readinessGates(JsonNode o) {
        JsonNode gates = o.path("spec").path("readinessGates");
        if (!gates.isArray() || gates.isEmpty()) {
            return "<none>";
        }
        int ok = 0;
        for (JsonNode g : gates) {
            for (JsonNode c : o.path("status").path("conditions")) {
                if (c.path("type").asText().equals(g.path("conditionType").asText())
                        && c.path("status").asText().equals("True")) {
                    ok++;
                }
            }
        }
        return ok + "/" + gates.size();
    }

    private static String nodeStatus(JsonNode o) {
        String status = "Unknown";
        for (JsonNode c : o.path("status").path("conditions")) {
            if (c.path("type").asText().equals("Ready")) {
                status = switch (c.path("status").asText()) {
                    case "True" -> "Ready";
                    case "False" -> "NotReady";
                    default -> "NotReady";
                };
            }
        }
        if (o.path("spec").path("unschedulable").asBoolean(false)) {
            status += ",SchedulingDisabled";
        }
        return status;
    }

    private static String roles(JsonNode o) {
        List<String> roles = new ArrayList<>();
        o.path("metadata").path("labels").fieldNames().forEachRemaining(l -> {
            if (l.startsWith("node-role.kubernetes.io/")) {
                roles.add(l.substring("node-role.kubernetes.io/".length()));
            }
        });
        return roles.isEmpty() ? "<none>" : String.join(",", roles);
    }

    private static String address(JsonNode o, String type) {
        for (JsonNode a : o.path("status").path("addresses")) {
            if (a.path("type").asText().equals(type)) {
                return a.path("address").asText();
            }
        }
        return "<none>";
    }

    private static String externalIp(JsonNode o) {
        List<String> ips = new ArrayList<>();
        o.path("status").path("loadBalancer").path("ingress").forEach(i -> ips.add(i.has("ip")
                ? i.path("ip").asText() : i.path("hostname").asText()));
        o.path("spec").path("externalIPs").forEach(i -> ips.add(i.asText()));
        if (!ips.isEmpty()) {
            return String.join(",", ips);
        }
        String type = o.path("spec").path("type").asText("ClusterIP");
        return type.equals("LoadBalancer") ? "<pending>" : type.equals("ExternalName")
                ? o.path("spec").path("externalName").asText() : "<none>";
    }

    private static String servicePorts(JsonNode o) {
        List<String> ports = new ArrayList<>();
        for (JsonNode p : o.path("spec").path("ports")) {
            String s = p.path("port").asText();
            if (p.has("nodePort")) {
                s += ":" + p.path("nodePort").asText();
            }
            ports.add(s + "/" + p.path("protocol").asText("TCP"));
        }
        return ports.isEmpty() ? "<none>" : String.join(",", ports);
    }

    private static String jobStatus(JsonNode o) {
        for (JsonNode c : o.path("status").path("conditions")) {
            if (c.path("status").asText().equals("True")) {
                String t = c.path("type").asText();
                if (t.equals("Complete")) {
                    return "Complete";
                }
                if (t.equals("Failed")) {
                    return "Failed";
                }
            }
        }
        return "Running";
    }

    /** kubectl's and the API server's human-readable age (apimachinery {@code duration.HumanDuration}). */
    static String age(JsonNode timestamp, Instant now) {
        if (timestamp.isMissingNode() || timestamp.isNull() || timestamp.asText().isEmpty()) {
            return "<unknown>";
        }
        try {
            return human(Duration.between(Instant.parse(timestamp.asText()), now));
        } catch (DateTimeParseException e) {
            return "<unknown>";
        }
    }

    static String human(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        } else if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            long dy = hours / 24 % 365;
            return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
        }
        return hours / 24 / 365 + "y";
    }
}
