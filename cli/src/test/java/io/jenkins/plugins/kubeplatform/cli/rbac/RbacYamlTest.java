package io.jenkins.plugins.kubeplatform.cli.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.kubeplatform.cli.CliRunner;
import io.jenkins.plugins.kubeplatform.sim.ApiRequest;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/rbac.yaml applied as is (with /usr/bin/kubectl where installed, else by server-side apply of each document)
 * to the simulated cluster in its RBAC mode; every step then runs through the CLI with only the token the token
 * controller wrote into {@code kube-platform/jenkins-kubeplatform-token}: 0 Forbidden. Then, for every rule of every
 * step's roles, a service account bound to exactly that step's roles (as docs/rbac.yaml binds them) minus that one
 * rule runs the step: it fails before changing anything, naming a verb, resource and namespace of the rule, unless
 * the rule serves a configuration these runs do not use ({@link #NOT_NEEDED_HERE}), in which case the step succeeds
 * without it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RbacYamlTest {

    static final Path KUBECTL = Path.of("/usr/bin/kubectl");
    static final String SA = "system:serviceaccount:kube-platform:jenkins-kubeplatform";

    @TempDir
    static Path dir;
    static SimulatedCluster sim;
    static KubernetesClient admin;
    static String adminToken;
    /** kubectl sends bearer tokens over TLS only: it talks to the sim through its authenticating TLS front. */
    static io.jenkins.plugins.kubeplatform.sim.auth.AuthenticatingFront front;

    /** The steps, in the order a pipeline would run them; each as the CLI command that runs it. */
    static final Map<String, List<String>> SCENARIOS = new LinkedHashMap<>();

    static {
        SCENARIOS.put("stickyIpDeploy: first deploy", List.of("sticky-deploy", "--namespace", "default", "--name",
                "web", "--image", "registry.example.com/shop/web:1", "--replicas", "2", "--port", "8080",
                "--timeout", "60s"));
        SCENARIOS.put("stickyIpDeploy: redeploy with a new image, one replica fewer", List.of("sticky-deploy",
                "--namespace", "default", "--name", "web", "--image", "registry.example.com/shop/web:2", "--replicas",
                "1", "--port", "8080", "--timeout", "60s"));
        SCENARIOS.put("exposeApp", List.of("expose", "--namespace", "default", "--app", "web", "--port", "80",
                "--target-port", "8080"));
        SCENARIOS.put("repairNode", List.of("repair-node", "--node", "node-1", "--exec", "true"));
        SCENARIOS.put("provisionEdgeVm", List.of("edge-vm", "create", "--name", "web", "--tenant", "demo", "--cpu",
                "2", "--memory", "2Gi", "--disk", "10Gi", "--image", "quay.io/containerdisks/ubuntu:22.04",
                "--location", "50.1,8.6"));
    }

    /** The CLI command that runs each step in the one-rule-removed runs. */
    static final Map<String, List<String>> STEP_RUN = Map.of(
            "stickyIpDeploy", SCENARIOS.get("stickyIpDeploy: first deploy"),
            "exposeApp", SCENARIOS.get("exposeApp"),
            "repairNode", SCENARIOS.get("repairNode"),
            "provisionEdgeVm", SCENARIOS.get("provisionEdgeVm"));

    /**
     * Rules (role, API group, first resource) the step runs above do not need, and why: the step succeeds without
     * them. Calico pools, no pushed image, ingress mode (not httproute, not nginx), an edge VM that is created (not
     * released or deleted, no new OpenYurt cluster), and Jenkins' periodic pin release.
     */
    static final Map<String, String> NOT_NEEDED_HERE = Map.ofEntries(
            Map.entry("kubeplatform-stickyIpDeploy-cluster kubeovn.io subnets", "Kube-OVN pools only"),
            Map.entry("kubeplatform-stickyIpDeploy  secrets", "pull secret only when the step pushed the image"),
            Map.entry("kubeplatform-stickyIpDeploy apps replicasets", "in-place updates of a redeploy only"),
            Map.entry("kubeplatform-stickyIpMaintenance apps deployments", "Jenkins periodic pin release (SIP-15)"),
            Map.entry("kubeplatform-exposeApp-cluster gateway.networking.k8s.io gateways", "route: httproute only"),
            Map.entry("kubeplatform-exposeApp gateway.networking.k8s.io httproutes", "route: httproute only"),
            Map.entry("kubeplatform-exposeApp discovery.k8s.io endpointslices", "nginx mode only"),
            Map.entry("kubeplatform-exposeApp  secrets", "nginx mode TLS only"),
            Map.entry("kubeplatform-provisionEdgeVm-cluster  pods", "release/delete drains the VM's node"),
            Map.entry("kubeplatform-provisionEdgeVm-cluster  pods/eviction", "release/delete drains the VM's node"),
            Map.entry("kubeplatform-provisionEdgeVm-cluster policy poddisruptionbudgets",
                    "release/delete drains the VM's node"),
            Map.entry("kubeplatform-provisionEdgeVm-cluster apps.openyurt.io nodepools",
                    "joinMethod: openyurt for a new edge cluster only"));

    /**
     * Rules (keys as above) that only turn a check off: without them the step warns (a text of the warning given)
     * and succeeds. Each is run with a deploy of an app of its own, so that it adds identities whatever the earlier
     * runs left.
     */
    static final Map<String, String> OPTIONAL = Map.of(
            "kubeplatform-stickyIpDeploy  resourcequotas",
            "could not read the ResourceQuotas of namespace default (HTTP 403 ");

    static final List<String> OPTIONAL_RUN = List.of("sticky-deploy", "--namespace", "default", "--name",
            "optional-checks", "--image", "registry.example.com/shop/web:1", "--replicas", "1", "--port", "8080",
            "--timeout", "60s");

    @BeforeAll
    static void start() throws Exception {
        sim = SimulatedCluster.start(SimOptions.builder().speed(100).rbac(true).build());
        adminToken = sim.tokens().user("cluster-admin", "system:masters");
        admin = sim.newClient(adminToken);
        front = sim.authenticatingFront(new io.jenkins.plugins.kubeplatform.sim.auth.SimCertificates());
    }

    @AfterAll
    static void stop() {
        if (front != null) {
            front.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    static Path rbacYaml() {
        Path d = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(d.resolve("docs/rbac.yaml"))) {
            d = d.getParent();
        }
        return d.resolve("docs/rbac.yaml");
    }

    record Result(int exit, String out, String err) {
    }

    static Path kubeconfig(String name, String token) throws IOException {
        return Files.writeString(dir.resolve(name + ".kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: sim
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: u
                  user:
                    token: %s
                contexts:
                - name: sim
                  context: {cluster: sim, user: u, namespace: default}
                current-context: sim
                """.formatted(front.url(), Base64.getEncoder().encodeToString(front.caPem().getBytes(StandardCharsets.UTF_8)),
                token));
    }

    static Result kubectl(Path kubeconfig, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(KUBECTL.toString(), "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", dir.resolve("kubectl-cache").toString(), "--request-timeout", "30s"));
        command.addAll(args);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("kubectl " + args + " did not finish within 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** kubectl apply -f docs/rbac.yaml, or the same objects by server-side apply where kubectl is not installed. */
    static void applyRbacYaml() throws Exception {
        if (Files.isExecutable(KUBECTL)) {
            Result r = kubectl(kubeconfig("admin", adminToken), List.of("apply", "-f", rbacYaml().toString()));
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            return;
        }
        for (JsonNode doc : new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
                .<JsonNode>readValues(Files.readString(rbacYaml())).readAll()) {
            if (doc != null && doc.isObject()) {
                admin.resource(Serialization.unmarshal(doc.toString(), GenericKubernetesResource.class))
                        .fieldManager("kubectl").forceConflicts().serverSideApply();
            }
        }
    }

    /** The service account's token, once the token controller has written it into the token Secret. */
    static String serviceAccountToken(String namespace, String secret) {
        Secret filled = admin.secrets().inNamespace(namespace).withName(secret).waitUntilCondition(
                s -> s != null && s.getData() != null && s.getData().containsKey("token"), 60, TimeUnit.SECONDS);
        return new String(Base64.getDecoder().decode(filled.getData().get("token")), StandardCharsets.UTF_8);
    }

    /** The example configuration pointed at the sim, its cluster authenticated by {@code tokenFile}. */
    static Path config(String name, String token) throws IOException {
        Path examples = rbacYaml().getParent().resolve("examples");
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("sa.token"), token);
        Files.copy(examples.resolve("edge-join-token.sim"), d.resolve("edge-join-token.sim"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String text = Files.readString(examples.resolve("kubeplatform.yaml"));
        String cluster = "      serverUrl: http://127.0.0.1:8001\n      namespace: default\n";
        assertThat(text).contains(cluster);
        // the repair's real-time waits (10 s deregistration grace, 5 s stabilization window) are not what this test
        // is about: the same requests are made with 200 ms of each
        String grace = "  deregistrationGrace: 10s ";
        String window = "  stabilizationWindow: 5s ";
        assertThat(text).contains(grace, window);
        return Files.writeString(d.resolve("kubeplatform.yaml"), text.replace(cluster,
                "      serverUrl: " + sim.url() + "\n      namespace: default\n      tokenFile: sa.token\n")
                .replace(grace, "  deregistrationGrace: 200ms ").replace(window, "  stabilizationWindow: 200ms "));
    }

    static CliRunner.Run cli(Path config, List<String> args) {
        List<String> all = new ArrayList<>(List.of("--config", config.toString(), "--state-dir",
                dir.resolve("state").toString()));
        all.addAll(args);
        return CliRunner.run(all.toArray(String[]::new));
    }

    static List<JsonNode> documents() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode doc : new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
                .<JsonNode>readValues(Files.readString(rbacYaml())).readAll()) {
            if (doc != null && doc.isObject()) {
                out.add(doc);
            }
        }
        return out;
    }

    /** Every rule of every ClusterRole labelled with a step: (role, rule index, step, rule as text). */
    static List<Arguments> rules() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode doc : documents()) {
            String step = doc.path("metadata").path("labels").path("kubeplatform.jenkins.io/step").asText("");
            if (doc.path("kind").asText().equals("ClusterRole") && !step.isEmpty()) {
                for (int i = 0; i < doc.path("rules").size(); i++) {
                    out.add(Arguments.of(doc.path("metadata").path("name").asText(), i, step,
                            doc.path("rules").get(i).toString()));
                }
            }
        }
        return out;
    }

    static boolean applied;

    static synchronized void ensureApplied() throws Exception {
        if (!applied) {
            applyRbacYaml();
            applied = true;
        }
    }

    static final Map<String, Path> STEP_CONFIGS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A service account {@code kube-platform/step-<step>} bound to exactly the step's roles where docs/rbac.yaml
     * binds them (the cluster-wide parts cluster-wide, the others by the RoleBindings of the file), with a
     * configuration that uses its token.
     */
    static synchronized Path stepAccount(String step) throws Exception {
        if (STEP_CONFIGS.containsKey(step)) {
            return STEP_CONFIGS.get(step);
        }
        String sa = "step-" + step.toLowerCase(java.util.Locale.ROOT);
        admin.serviceAccounts().inNamespace("kube-platform").resource(new io.fabric8.kubernetes.api.model
                .ServiceAccountBuilder().withNewMetadata().withName(sa).endMetadata().build()).create();
        List<JsonNode> docs = documents();
        for (JsonNode role : docs) {
            JsonNode labels = role.path("metadata").path("labels");
            if (!role.path("kind").asText().equals("ClusterRole")
                    || !labels.path("kubeplatform.jenkins.io/step").asText("").equals(step)) {
                continue;
            }
            String name = role.path("metadata").path("name").asText();
            if (labels.has("kubeplatform.jenkins.io/aggregate-to-kubeplatform-cluster")) {
                admin.rbac().clusterRoleBindings().resource(new io.fabric8.kubernetes.api.model.rbac
                        .ClusterRoleBindingBuilder().withNewMetadata().withName(sa + "-" + name).endMetadata()
                        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                        .withName(name).endRoleRef().addNewSubject().withKind("ServiceAccount").withName(sa)
                        .withNamespace("kube-platform").endSubject().build()).create();
            }
            for (JsonNode binding : docs) {
                if (binding.path("kind").asText().equals("RoleBinding")
                        && binding.path("roleRef").path("name").asText().equals(name)) {
                    String ns = binding.path("metadata").path("namespace").asText();
                    admin.rbac().roleBindings().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.rbac
                            .RoleBindingBuilder().withNewMetadata().withName(sa + "-" + name).withNamespace(ns)
                            .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
                            .withKind("ClusterRole").withName(name).endRoleRef().addNewSubject()
                            .withKind("ServiceAccount").withName(sa).withNamespace("kube-platform").endSubject()
                            .build()).create();
                }
            }
        }
        String token = admin.serviceAccounts().inNamespace("kube-platform").withName(sa).tokenRequest(
                new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder().withNewSpec()
                        .withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
        Path config = config(sa, token);
        STEP_CONFIGS.put(step, config);
        return config;
    }

    static List<ApiRequest> byClient() {
        return sim.requests().matching(r -> !r.internal());
    }

    @Test
    @Order(1)
    void runsEveryStepWithTheTokenOfTheAppliedServiceAccountWithoutAForbidden() throws Exception {
        ensureApplied();
        String token = serviceAccountToken("kube-platform", "jenkins-kubeplatform-token");
        Path config = config("sa", token);
        sim.requests().clear();

        for (Map.Entry<String, List<String>> scenario : SCENARIOS.entrySet()) {
            CliRunner.Run run = cli(config, scenario.getValue());
            assertThat(run.exitCode()).as(scenario.getKey() + "\n" + run.err()).isZero();
        }

        List<ApiRequest> requests = byClient();
        assertThat(requests).extracting(ApiRequest::resource).contains("deployments", "services", "ingresses",
                "configmaps", "leases", "pods", "nodes", "virtualmachines");
        assertThat(requests).filteredOn(r -> r.status() == 403 || r.status() == 401).isEmpty();
        assertThat(admin.apps().deployments().inNamespace("default").withName("web-0").get()).isNotNull();
        assertThat(admin.network().v1().ingresses().inNamespace("default").list().getItems()).isNotEmpty();
    }

    @Test
    @Order(2)
    void answersTheAuthCanICheckOfTheCommentBlockAsItSays() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not installed");
        ensureApplied();
        Path asServiceAccount = kubeconfig("sa", serviceAccountToken("kube-platform", "jenkins-kubeplatform-token"));
        Pattern line = Pattern.compile("^#\\s+kubectl auth can-i (.+?) --as=\\$SA(\\s+#\\s*no)?\\s*$");
        int checked = 0;
        for (String text : Files.readAllLines(rbacYaml())) {
            Matcher m = line.matcher(text);
            if (!m.matches() || m.group(1).startsWith("--list")) {
                continue;
            }
            List<String> args = new ArrayList<>(List.of("auth", "can-i"));
            args.addAll(List.of(m.group(1).trim().split("\\s+")));
            Result r = kubectl(asServiceAccount, args);
            String expected = m.group(2) == null ? "yes" : "no";
            assertThat(r.out().trim()).as("kubectl auth can-i %s as %s: %s", m.group(1), SA, r.err())
                    .isEqualTo(expected);
            checked++;
        }
        assertThat(checked).as("can-i lines in docs/rbac.yaml").isGreaterThanOrEqualTo(10);
    }

    @ParameterizedTest(name = "{0} rule {1}: {3}")
    @MethodSource("rules")
    @Order(3)
    void failsBeforeChangingAnythingNamingThePermissionWhenOneRuleIsMissing(String role, int index, String step,
            String ruleText) throws Exception {
        ensureApplied();
        Path config = stepAccount(step);
        JsonNode rule = new ObjectMapper().readTree(ruleText);
        String group = rule.path("apiGroups").get(0).asText();
        String key = role + " " + group + " " + rule.path("resources").get(0).asText();
        io.fabric8.kubernetes.api.model.rbac.ClusterRole original = admin.rbac().clusterRoles().withName(role).get();
        admin.rbac().clusterRoles().withName(role).edit(r -> {
            r.getRules().remove(index);
            return r;
        });
        try {
            sim.requests().clear();
            CliRunner.Run run = cli(config, OPTIONAL.containsKey(key) ? OPTIONAL_RUN : STEP_RUN.get(step));
            List<ApiRequest> requests = byClient();

            if (OPTIONAL.containsKey(key)) {
                assertThat(run.exitCode()).as("%s is documented as optional\n%s", key, run.err()).isZero();
                assertThat(run.out() + run.err()).as("the warning").contains(OPTIONAL.get(key));
                assertThat(requests).filteredOn(r -> r.status() == 403).as("only the optional request was refused")
                        .isNotEmpty().allSatisfy(r -> assertThat(r.rbacResource())
                                .isEqualTo(rule.path("resources").get(0).asText()));
                return;
            }

            if (NOT_NEEDED_HERE.containsKey(key)) {
                assertThat(run.exitCode()).as("%s is documented as not needed here (%s)\n%s", key,
                        NOT_NEEDED_HERE.get(key), run.err()).isZero();
                assertThat(requests).filteredOn(r -> r.status() == 403).isEmpty();
                return;
            }
            assertThat(run.exitCode()).as("%s without %s\n%s", step, key, run.out() + run.err()).isNotZero();
            String verbs = String.join("|", strings(rule.path("verbs")));
            String resources = String.join("|", strings(rule.path("resources")).stream().map(Pattern::quote)
                    .toList());
            assertThat(run.out() + run.err()).as("names a verb, resource and namespace of the removed rule")
                    .containsPattern("cannot (" + verbs + ") resource \"(" + resources + ")\" in API group \""
                            + Pattern.quote(group) + "\" (at the cluster scope|in the namespace \"[a-z0-9-]+\")");
            assertThat(requests).as("nothing changed").noneMatch(ApiRequest::persisted);
            assertThat(requests).as("no write met a 403 (the pre-check, or a first read, failed before any write)")
                    .noneMatch(r -> r.status() == 403 && !List.of("get", "list", "watch").contains(r.verb()));
        } finally {
            admin.rbac().clusterRoles().withName(role).edit(r -> {
                r.setRules(original.getRules());
                return r;
            });
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
