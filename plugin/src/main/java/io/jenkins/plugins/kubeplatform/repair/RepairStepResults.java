package io.jenkins.plugins.kubeplatform.repair;

import io.jenkins.plugins.kubeplatform.engine.repair.RepairResult;
import io.jenkins.plugins.kubeplatform.engine.repair.ScheduledReport;
import io.jenkins.plugins.kubeplatform.engine.repair.TimelineEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code repairNode} returns to the Pipeline script: plain maps and lists (docs/repair.md). */
final class RepairStepResults {

    private RepairStepResults() {
    }

    /** A one-node run: the node, its pool, outcome, message and timeline. */
    static Map<String, Object> ofNode(RepairResult r) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("node", r.node());
        map.put("pool", r.pool());
        map.put("outcome", r.outcome().name());
        map.put("message", r.message());
        map.put("timeline", r.timeline().stream().map(TimelineEntry::toString).toList());
        return map;
    }

    /** A pool run: the pool, how many faulty nodes were found, and every node with its faults and outcome. */
    static Map<String, Object> ofPool(ScheduledReport report) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("pool", report.pool());
        result.put("faultyNodes", report.nodes().size());
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (ScheduledReport.Entry e : report.nodes()) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("node", e.node());
            map.put("faults", new ArrayList<>(e.faults()));
            map.put("outcome", e.outcome());
            map.put("message", e.message());
            nodes.add(map);
        }
        result.put("nodes", nodes);
        return result;
    }
}
