package io.jenkins.plugins.kubeplatform.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmResult;
import io.jenkins.plugins.kubeplatform.engine.edgevm.VmState;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeResult;
import io.jenkins.plugins.kubeplatform.engine.expose.Owner;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairOutcome;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairResult;
import io.jenkins.plugins.kubeplatform.engine.repair.TimelineEntry;
import io.jenkins.plugins.kubeplatform.engine.stickyip.DeployResult;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.export.Exported;

/**
 * The build's {@code api/json} shows each step's result with the schema the CLI's {@code -o json} uses (docs/cli.md,
 * "Result documents"): the result action of each capability, exported the way Stapler exports {@code @Exported}
 * getters, has exactly the documented fields under the documented kind, and keeps them through XStream.
 */
class ResultSchemaTest {

    private static final Instant AT = Instant.parse("2026-12-06T18:21:54.123Z");

    @Test
    void exportsTheDocumentedStickyDeployFieldsWhenADeployRecordsItsResult() throws Exception {
        DeployResult result = new DeployResult("shop", "web", "web", "nginx:1.27", Optional.of("sha256:abc"), "default",
                List.of(new DeployResult.IdentityResult("shop/web-0", "10.42.200.2", "node-1", "web-0-abc")),
                List.of("shop/web-1"), true);

        Map<String, Object> exported = exportedResult(factory("stickyip.StickyIpDeploys", result));

        assertThat(exported).containsEntry("apiVersion", "kubeplatform.jenkins.io/v1").containsEntry("kind", "StickyDeploy");
        assertThat(paths(exported)).isEqualTo(documented("StickyDeploy"));
        assertThat(exported.get("identities").toString()).contains("ip=10.42.200.2", "node=node-1");
    }

    @Test
    void exportsTheDocumentedExposeFieldsWhenAnExposeRecordsItsResult() throws Exception {
        ExposeResult result = new ExposeResult("web.shop.apps.example.test", "http://web.shop.apps.example.test/",
                new Owner("shop", "web"), "shop", "web", "ingress", "web", Optional.of("10.0.0.1"), Optional.empty(),
                Optional.empty(), List.of("created Service shop/web"));

        Map<String, Object> exported = exportedResult(factory("expose.ExposeApps", result));

        assertThat(exported).containsEntry("kind", "Expose").containsEntry("host", "web.shop.apps.example.test");
        assertThat(paths(exported)).containsAll(documented("Expose"))
                .isSubsetOf(union(documented("Expose"), optional("Expose")));
    }

    @Test
    void exportsTheDocumentedRepairNodeFieldsWithRfc3339TimesWhenARepairRecordsItsResult() throws Exception {
        RepairResult result = new RepairResult("node-2", "default", RepairOutcome.REPAIRED, "node node-2 repaired",
                "", false, List.of(), List.of(new TimelineEntry(AT, "CORDONED", "cordoned and tainted")));

        Map<String, Object> exported = exportedResult(new ResultAction("repairNode node-2", List.of("REPAIRED"),
                result.document()));

        assertThat(exported).containsEntry("kind", "RepairNode").containsEntry("outcome", "REPAIRED");
        assertThat(paths(exported)).isEqualTo(documented("RepairNode"));
        assertThat(exported.get("timeline").toString()).contains("at=2026-12-06T18:21:54Z");
    }

    @Test
    void exportsTheDocumentedEdgeVmFieldsUnderTheKindOfTheActionWhenAnEdgeVmStepRecordsItsResult() throws Exception {
        EdgeVmResult result = new EdgeVmResult("created", "demo-web", "web", "demo", "paris", "edge-vms", "edge-par",
                false, "demo-web", "10.0.2.15", VmState.RUNNING, List.of("edge cluster chosen: edge-par"));

        Map<String, Object> exported = exportedResult(factory("edgevm.EdgeVms", result, "create"));

        assertThat(exported).containsEntry("kind", "EdgeVmCreate").containsEntry("vm", "demo-web")
                .containsEntry("state", "RUNNING");
        assertThat(paths(exported)).isEqualTo(documented("EdgeVmCreate"));
    }

    @Test
    void keepsTheResultWhenTheBuildIsSavedAndLoadedThroughXStream() throws Exception {
        RepairResult result = new RepairResult("node-2", "default", RepairOutcome.FAILED, "repair failed", "FAILED",
                true, List.of("agents/agent-1"), List.of(new TimelineEntry(AT, "FAILED", "exit 3")));
        ResultAction action = new ResultAction("repairNode node-2", List.of("FAILED"), result.document());

        ResultAction loaded = JenkinsXStream.roundTrip(action);

        assertThat(exportedResult(loaded)).isEqualTo(exportedResult(action)).containsEntry("cordoned", true);
    }

    /** The result action as the plugin's steps and builders make it ({@code <Capability>.resultAction}). */
    private static ResultAction factory(String type, Object... args) throws Exception {
        for (Method m : Class.forName("io.jenkins.plugins.kubeplatform." + type).getDeclaredMethods()) {
            if (m.getName().equals("resultAction") && m.getParameterCount() == args.length) {
                m.setAccessible(true);
                return (ResultAction) m.invoke(null, args);
            }
        }
        throw new AssertionError("no resultAction in " + type);
    }

    // ---- export as Stapler does: every @Exported getter, maps as objects, lists as arrays

    private static Map<String, Object> exportedResult(ResultAction action) throws Exception {
        Map<String, Object> exported = new LinkedHashMap<>();
        for (Method m : ResultAction.class.getMethods()) {
            if (m.getAnnotation(Exported.class) != null) {
                String name = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
                exported.put(name, m.invoke(action));
            }
        }
        assertThat(exported).containsKeys("step", "lines", "failure", "result");
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) exported.get("result");
        return result;
    }

    /** Field paths of a document: {@code name}, {@code list[]} or {@code list[].field}. */
    private static Set<String> paths(Map<String, Object> document) {
        Set<String> paths = new TreeSet<>();
        for (Map.Entry<String, Object> e : document.entrySet()) {
            if (e.getKey().equals("apiVersion") || e.getKey().equals("kind")) {
                continue;
            }
            if (e.getValue() instanceof List<?> list) {
                if (!list.isEmpty() && list.get(0) instanceof Map<?, ?> first) {
                    first.keySet().forEach(k -> paths.add(e.getKey() + "[]." + k));
                } else {
                    paths.add(e.getKey() + "[]");
                }
            } else {
                paths.add(e.getKey());
            }
        }
        return paths;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new TreeSet<>(a);
        u.addAll(b);
        return u;
    }

    /** The always-present fields of {@code kind} in docs/cli.md's "Result documents" table. */
    static Set<String> documented(String kind) throws IOException {
        return fields(kind, false);
    }

    /** The fields of {@code kind} documented as present "when they apply". */
    static Set<String> optional(String kind) throws IOException {
        return fields(kind, true);
    }

    private static Set<String> fields(String kind, boolean optional) throws IOException {
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("..", "docs", "cli.md"), StandardCharsets.UTF_8)) {
            if (line.startsWith("| `" + kind + "` |")) {
                rows.add(line.split("\\|")[2]);
            }
        }
        assertThat(rows).as("row of " + kind + " in docs/cli.md").hasSize(1);
        String cell = rows.get(0);
        int split = cell.indexOf("when they apply:");
        cell = cell.replaceAll("\\(also for .*\\)", "");
        String part = optional ? (split < 0 ? "" : cell.substring(split)) : (split < 0 ? cell : cell.substring(0, split));
        Set<String> fields = new TreeSet<>();
        Matcher m = Pattern.compile("`([^`]+)`").matcher(part);
        while (m.find()) {
            fields.add(m.group(1));
        }
        return fields;
    }
}
