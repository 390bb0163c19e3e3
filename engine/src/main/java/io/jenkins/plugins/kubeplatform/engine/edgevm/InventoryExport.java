package io.jenkins.plugins.kubeplatform.engine.edgevm;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** EVM-9: the inventory for billing, as CSV (RFC 4180) or JSON; one row per VM, deleted ones included. */
public final class InventoryExport {

    public static final List<String> COLUMNS = List.of("tenant", "name", "vm", "site", "edgeCluster", "node", "cpu",
            "memoryMi", "diskGi", "image", "state", "start", "end", "address");

    private InventoryExport() {
    }

    public static String csv(Inventory inventory) {
        StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        for (VmRecord r : inventory.vms()) {
            List<String> cells = row(r).values().stream().map(v -> v == null ? "" : String.valueOf(v)).toList();
            out.append(String.join(",", cells.stream().map(InventoryExport::cell).toList())).append("\r\n");
        }
        return out.toString();
    }

    public static String json(Inventory inventory) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(
                    Map.of("vms", inventory.vms().stream().map(InventoryExport::row).toList()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("inventory is not serializable", e);
        }
    }

    /** One VM as ordered column → value (strings, numbers, ISO instants). */
    public static Map<String, Object> row(VmRecord r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("tenant", r.tenant());
        row.put("name", r.name());
        row.put("vm", r.vm());
        row.put("site", r.site());
        row.put("edgeCluster", r.edgeCluster());
        row.put("node", r.node());
        row.put("cpu", r.cpu());
        row.put("memoryMi", r.memoryMi());
        row.put("diskGi", r.diskGi());
        row.put("image", r.image());
        row.put("state", r.state().name());
        row.put("start", iso(r.start()));
        row.put("end", iso(r.end()));
        row.put("address", r.address());
        return row;
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** Quotes when needed; a leading formula character is neutralised so spreadsheets do not evaluate it. */
    static String cell(String value) {
        String v = value;
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 && !v.matches("-?[0-9.]+")) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
