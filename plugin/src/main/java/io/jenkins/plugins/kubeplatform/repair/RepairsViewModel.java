package io.jenkins.plugins.kubeplatform.repair;

import io.jenkins.plugins.kubeplatform.engine.repair.MaintenanceRecord;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairBoard;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the "Node repairs" page shows, computed from the engine's {@link RepairBoard} entries without any Jenkins type:
 * one row per node under maintenance with its pool, state, since when, the build that owns it and the reason.
 */
public record RepairsViewModel(List<Row> rows, String problem) {

    /** One node under repair as displayed; {@code buildUrl} is relative to the Jenkins root, empty for CLI owners. */
    public record Row(String pool, String node, String state, String since, String age, String owner, String buildUrl,
                      String reason, boolean stuck, boolean releasable) {

        /** The row as {@code api/json} writes it. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pool", pool);
            m.put("node", node);
            m.put("state", state);
            m.put("since", since);
            m.put("owner", owner);
            m.put("build", buildUrl);
            m.put("reason", reason);
            m.put("stuck", stuck);
            m.put("releasable", releasable);
            return m;
        }
    }

    public static RepairsViewModel of(List<RepairBoard.Entry> entries, Instant now) {
        List<Row> rows = new ArrayList<>();
        for (RepairBoard.Entry e : entries) {
            MaintenanceRecord r = e.record();
            rows.add(new Row(r.pool() == null || r.pool().isEmpty() ? "default" : r.pool(), e.node(),
                    r.state().name() + (e.stuck() ? " (stuck)" : ""), r.since().toString(),
                    human(Duration.between(r.since(), now)), r.owner(), buildUrl(r.owner()), r.reason(), e.stuck(),
                    e.releasable()));
        }
        return new RepairsViewModel(rows, "");
    }

    /** No rows because the cluster could not be read; {@code problem} says why. */
    public static RepairsViewModel unavailable(String problem) {
        return new RepairsViewModel(new ArrayList<>(), problem);
    }

    /**
     * A build owner is {@code jenkins:<job full name>#<number>} (a Run's externalizable id); its page is
     * {@code job/<a>/job/<b>/<number>/}. Other owners (the CLI, the page itself) have no page.
     */
    static String buildUrl(String owner) {
        if (owner == null || !owner.startsWith("jenkins:")) {
            return "";
        }
        String id = owner.substring("jenkins:".length());
        int hash = id.lastIndexOf('#');
        if (hash <= 0 || hash == id.length() - 1 || !id.substring(hash + 1).chars().allMatch(Character::isDigit)) {
            return "";
        }
        StringBuilder url = new StringBuilder();
        for (String part : id.substring(0, hash).split("/")) {
            url.append("job/").append(java.net.URLEncoder.encode(part, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("+", "%20")).append('/');
        }
        return url.append(id.substring(hash + 1)).append('/').toString();
    }

    static String human(Duration d) {
        long minutes = Math.max(0, d.toMinutes());
        if (minutes >= 24 * 60) {
            return minutes / (24 * 60) + "d " + minutes / 60 % 24 + "h";
        }
        if (minutes >= 60) {
            return minutes / 60 + "h " + minutes % 60 + "m";
        }
        return minutes + "m";
    }
}
