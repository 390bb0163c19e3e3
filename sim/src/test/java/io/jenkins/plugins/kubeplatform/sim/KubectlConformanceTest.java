package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The everyday {@code kubectl} commands (the real v1.32 client this machine image ships as /usr/bin/kubectl)
 * against the simulated cluster, each bounded in time, with their exit codes and key output. Under CI the test
 * fails when kubectl is missing; elsewhere it is skipped.
 */
@Timeout(value = 170, unit = TimeUnit.SECONDS)
class KubectlConformanceTest {

    private static final Path KUBECTL = Path.of("/usr/bin/kubectl");
    private static final long BOUND_SECONDS = 60;

    @TempDir
    static Path dir;
    private static final AtomicInteger CASES = new AtomicInteger();
    private static SimulatedCluster sim;
    /** The running case's namespace and the kubeconfig whose context names it. */
    private static String ns;
    private static Path kubeconfig;

    private record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    @BeforeAll
    static void start() throws IOException {
        if (!Files.isExecutable(KUBECTL)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("kubectl is part of this machine image but " + KUBECTL + " is missing");
            }
            Assumptions.abort("kubectl is not installed at " + KUBECTL);
        }
        sim = SimulatedCluster.start(SimOptions.builder().speed(50).build());
    }

    /**
     * Each case works in a namespace of its own (kubectl's context names it), so that what one case leaves behind or
     * is still rolling out cannot disturb another's lists, waits and counts; the nodes stay shared.
     */
    @BeforeEach
    void ownNamespace() throws IOException {
        ns = "case-" + CASES.incrementAndGet();
        sim.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(ns).endMetadata().build()).create();
        kubeconfig = dir.resolve("kubeconfig-" + ns);
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: sim
                  cluster:
                    server: %s
                users:
                - name: sim
                  user: {}
                contexts:
                - name: sim
                  context: {cluster: sim, user: sim, namespace: %s}
                current-context: sim
                """.formatted(sim.url(), ns));
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private static Result kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(KUBECTL.toString(), "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", dir.resolve("cache").toString(), "--request-timeout", "30s"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            fail("kubectl " + String.join(" ", args) + " did not finish within " + BOUND_SECONDS + " s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Result ok(String... args) throws IOException, InterruptedException {
        Result r = kubectl(args);
        assertThat(r.exit()).as("kubectl %s\n%s", String.join(" ", args), r.all()).isZero();
        return r;
    }

    private static Path manifest(String name, String yaml) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static String deployment(String name, int replicas, String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %s
                spec:
                  replicas: %d
                  selector:
                    matchLabels: {app: %s}
                  template:
                    metadata:
                      labels: {app: %s}
                    spec:
                      containers:
                      - name: app
                        image: %s
                """.formatted(name, replicas, name, name, image);
    }

    @Test
    void readsTheClusterLikeARealServer() throws Exception {
        assertThat(ok("version").out()).contains("Server Version: v1.32.4");
        Result nodes = ok("get", "nodes", "-o", "wide");
        assertThat(nodes.out()).contains("NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP")
                .contains("node-1", "Ready", "192.168.56.11");
        assertThat(ok("describe", "node", "node-1").out()).contains("Name:", "node-1", "Addresses:");
        Result missing = kubectl("get", "ns", "nope");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("namespaces \"nope\" not found");
        Result resources = ok("api-resources", "--cache-dir", dir.resolve("fresh-cache").toString(), "-v=6");
        assertThat(resources.out()).contains("deployments", "apps/v1", "Deployment");
        assertThat(resources.err()).contains("GET " + sim.url() + "/api?", "GET " + sim.url() + "/apis?")
                .doesNotContain("/apis/apps/v1", "/api/v1");
        assertThat(ok("explain", "deployment").out()).contains("KIND:", "Deployment", "spec");
        assertThat(ok("auth", "can-i", "create", "pods").out().trim()).isEqualTo("yes");
    }

    @Test
    void listsTheSystemPriorityClassesAndTheDefaultServiceAccountsAClusterStartsWith() throws Exception {
        String classes = ok("get", "priorityclasses").out();
        assertThat(classes.lines().findFirst().orElse("")).matches(
                "NAME\\s+VALUE\\s+GLOBAL-DEFAULT\\s+AGE\\s+PREEMPTIONPOLICY");
        assertThat(classes).containsPattern("system-cluster-critical\\s+2000000000\\s+false\\s+\\S+\\s+"
                + "PreemptLowerPriority").containsPattern("system-node-critical\\s+2000001000\\s+false");
        // the serviceaccount controller creates it moments after the cluster starts
        Pods.await(sim.client().serviceAccounts().inNamespace("kube-system").withName("default"), sa -> sa != null);
        assertThat(ok("get", "serviceaccounts", "-n", "kube-system").out()).containsPattern("default\\s+0\\s+");
    }

    @Test
    void answersHealthProbesAndUnknownPathsAsAnApiServerDoes() throws Exception {
        assertThat(ok("get", "--raw", "/readyz").out()).isEqualTo("ok");
        assertThat(ok("get", "--raw", "/livez").out()).isEqualTo("ok");
        assertThat(ok("get", "--raw", "/healthz").out()).isEqualTo("ok");
        assertThat(ok("get", "--raw", "/readyz?verbose").out())
                .contains("[+]ping ok\n", "[+]etcd ok\n", "[+]poststarthook/sim-seed ok\n")
                .endsWith("readyz check passed\n");
        assertThat(ok("get", "--raw", "/readyz/etcd").out()).isEqualTo("ok");
        Result unknown = kubectl("get", "--raw", "/no-such-path");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("Error from server (NotFound): the server could not find the requested "
                + "resource");
    }

    @Test
    void createsAppliesPatchesAndDeletesWithoutHanging() throws Exception {
        assertThat(ok("create", "deployment", "made", "--image=nginx:1.27").out())
                .contains("deployment.apps/made created");
        Path file = manifest("shop", deployment("shop", 1, "nginx:1.27"));
        assertThat(ok("apply", "-f", file.toString()).out()).contains("deployment.apps/shop created");
        assertThat(ok("apply", "--server-side", "-f", file.toString()).out())
                .contains("deployment.apps/shop serverside-applied");
        assertThat(ok("patch", "deployment", "shop", "-p", "{\"metadata\":{\"labels\":{\"smp\":\"yes\"}}}").out())
                .contains("patched");
        ok("patch", "deployment", "shop", "--type=merge", "-p", "{\"metadata\":{\"labels\":{\"merge\":\"yes\"}}}");
        ok("patch", "deployment", "shop", "--type=json", "-p",
                "[{\"op\":\"add\",\"path\":\"/metadata/labels/json\",\"value\":\"yes\"}]");
        assertThat(ok("get", "deployment", "shop", "-o", "jsonpath={.metadata.labels}").out())
                .contains("\"smp\":\"yes\"", "\"merge\":\"yes\"", "\"json\":\"yes\"");
        assertThat(ok("scale", "deployment", "shop", "--replicas=2").out()).contains("scaled");
        assertThat(ok("get", "deployment", "shop", "-o", "jsonpath={.spec.replicas}").out()).isEqualTo("2");
        ok("set", "image", "deployment/shop", "app=nginx:1.28");
        assertThat(ok("get", "deployment", "shop", "-o", "jsonpath={.spec.template.spec.containers[0].image}")
                .out()).isEqualTo("nginx:1.28");
        assertThat(ok("create", "namespace", "dry", "--dry-run=server").out()).contains("(server dry run)");
        assertThat(kubectl("get", "namespace", "dry").exit()).isEqualTo(1);
        assertThat(ok("delete", "deployment", "shop", "made").out()).contains("deleted");
        assertThat(kubectl("get", "deployment", "shop").err()).contains("deployments.apps \"shop\" not found");
    }

    @Test
    void printsPodSecurityRefusalsAndWarningsAsFromARealServer() throws Exception {
        ok("create", "namespace", "guarded");
        ok("label", "namespace", "guarded", "pod-security.kubernetes.io/enforce=restricted");
        String violations = "allowPrivilegeEscalation != false (container \"%1$s\" must set "
                + "securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"%1$s\" "
                + "must set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container "
                + "\"%1$s\" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container \"%1$s\" "
                + "must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")";
        Result refused = kubectl("run", "web", "-n", "guarded", "--image=nginx:1.27");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("Error from server (Forbidden): pods \"web\" is forbidden: violates "
                + "PodSecurity \"restricted:latest\": " + violations.formatted("web"));
        Result warned = ok("create", "deployment", "web", "-n", "guarded", "--image=nginx:1.27");
        assertThat(warned.out()).contains("deployment.apps/web created");
        assertThat(warned.err()).contains("Warning: would violate PodSecurity \"restricted:latest\": "
                + violations.formatted("nginx") + "\n");
        Result typo = kubectl("label", "namespace", "guarded", "--overwrite",
                "pod-security.kubernetes.io/enforce=strict");
        assertThat(typo.exit()).isEqualTo(1);
        assertThat(typo.err()).contains("The Namespace \"guarded\" is invalid: "
                + "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of "
                + "privileged, baseline, restricted");
    }

    @Test
    void printsAResourceQuotaRefusalAsFromARealServer() throws Exception {
        ok("create", "namespace", "quoted");
        ok("create", "quota", "pod-count", "-n", "quoted", "--hard=pods=1");
        // the quota controller writes the usage; until then the plugin has nothing to hold pods to
        ok("wait", "-n", "quoted", "resourcequota/pod-count", "--for=jsonpath={.status.used.pods}=0",
                "--timeout=30s");
        ok("run", "first", "-n", "quoted", "--image=nginx:1.27");

        Result refused = kubectl("run", "second", "-n", "quoted", "--image=nginx:1.27",
                "--annotations=scheduler.alpha.kubernetes.io/critical-pod=true");

        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("Error from server (Forbidden): pods \"second\" is forbidden: exceeded "
                + "quota: pod-count, requested: pods=1, used: pods=1, limited: pods=1");
        // the registry's warning, recorded before the quota refused the pod, comes with the refusal
        assertThat(refused.err()).contains("Warning: metadata.annotations[scheduler.alpha.kubernetes.io/critical-pod]: "
                + "non-functional in v1.16+; use the \"priorityClassName\" field instead\n");
        // a bare pod would hold up another test's drain of its node
        ok("delete", "pod", "first", "-n", "quoted", "--grace-period=0", "--force");
    }

    @Test
    void explainsFieldsBelowTheTopLevel() throws Exception {
        assertThat(ok("explain", "deployment.spec.replicas").out()).contains("KIND:", "Deployment",
                "FIELD: replicas <integer>");
        assertThat(ok("explain", "pod.spec.containers.readinessProbe").out()).contains("FIELD: readinessProbe <Probe>",
                "httpGet", "initialDelaySeconds\t<integer>", "periodSeconds");
        assertThat(ok("explain", "httproute.spec.rules.matches.path").out()).contains("HTTPRoute", "type", "value");
        assertThat(ok("explain", "virtualmachine.spec.runStrategy").out()).contains("FIELD: runStrategy <string>");
        Result missing = kubectl("explain", "deployment.spec.replicaz");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("field \"replicaz\" does not exist");
    }

    @Test
    void validatesManifestsStrictlyByDefaultNamingTheUnknownField() throws Exception {
        String valid = deployment("checked", 1, "nginx:1.27");
        String unknown = valid.replace("      - name: app\n", "      - name: app\n        imagePolicy: Always\n");
        assertThat(unknown).contains("imagePolicy");
        Path bad = manifest("checked-bad", unknown);

        Result refused = kubectl("apply", "-f", bad.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("strict decoding error: unknown field "
                + "\"spec.template.spec.containers[0].imagePolicy\"");
        assertThat(kubectl("get", "deployment", "checked").exit()).isEqualTo(1);

        Result warned = ok("apply", "--validate=warn", "-f", bad.toString());
        assertThat(warned.err()).contains("Warning: unknown field \"spec.template.spec.containers[0].imagePolicy\"");
        assertThat(ok("apply", "-f", manifest("checked", valid).toString()).out())
                .contains("deployment.apps/checked configured");
        Result serverSide = kubectl("apply", "--server-side", "-f", bad.toString());
        assertThat(serverSide.exit()).isEqualTo(1);
        assertThat(serverSide.err()).contains("unknown field \"spec.template.spec.containers[0].imagePolicy\"");
        ok("delete", "deployment", "checked");
    }

    @Test
    void diffChangesNothing() throws Exception {
        Path file = manifest("diffed", deployment("diffed", 1, "nginx:1.27"));
        sim.requests().clear();

        Result diff = kubectl("diff", "-f", file.toString());

        assertThat(diff.exit()).as(diff.all()).isEqualTo(1);
        assertThat(diff.out()).contains("+  name: diffed");
        assertThat(sim.requests().list()).filteredOn(ApiRequest::persisted).isEmpty();
        assertThat(sim.client().apps().deployments().inNamespace(ns).withName("diffed").get()).isNull();
    }

    @Test
    void rollsOutRestartsUndoesAndWaits() throws Exception {
        ok("create", "deployment", "roll", "--image=nginx:1.27", "--replicas=2");
        assertThat(ok("rollout", "status", "deployment/roll", "--timeout=50s").out())
                .contains("successfully rolled out");
        ok("set", "image", "deployment/roll", "nginx=nginx:1.28");
        ok("rollout", "status", "deployment/roll", "--timeout=50s");
        assertThat(ok("rollout", "restart", "deployment/roll").out()).contains("restarted");
        ok("rollout", "status", "deployment/roll", "--timeout=50s");
        assertThat(ok("rollout", "undo", "deployment/roll").out()).contains("rolled back");
        assertThat(ok("wait", "--for=condition=Available", "deployment/roll", "--timeout=50s").out())
                .contains("condition met");
        Result pods = ok("get", "pods", "-l", "app=roll", "-o", "wide");
        assertThat(pods.out()).contains("READY", "STATUS", "RESTARTS", "IP", "NODE", "NOMINATED NODE",
                "READINESS GATES").contains("Running").containsPattern("10\\.42\\.\\d+\\.\\d+").contains("node-");
        String pod = ok("get", "pods", "-l", "app=roll", "-o", "jsonpath={.items[0].metadata.name}").out();
        assertThat(ok("logs", pod).out()).contains("simulated container nginx");
    }

    @Test
    void annotateRaisesADeploymentsGenerationWhichTheControllerObservesAndLabelDoesNot() throws Exception {
        ok("create", "deployment", "generations", "--image=nginx:1.27");
        ok("rollout", "status", "deployment/generations", "--timeout=50s");

        ok("label", "deployment", "generations", "tier=web");
        assertThat(ok("get", "deployment", "generations", "-o", "jsonpath={.metadata.generation}").out())
                .isEqualTo("1");
        ok("annotate", "deployment", "generations", "team=shop");
        assertThat(ok("get", "deployment", "generations", "-o", "jsonpath={.metadata.generation}").out())
                .isEqualTo("2");
        ok("wait", "--for=jsonpath={.status.observedGeneration}=2", "deployment/generations", "--timeout=50s");
        ok("delete", "deployment", "generations");
    }

    @Test
    void rolloutStatusWaitsWhileAPausedRolloutCannotFinishAndReturnsOnceItHas() throws Exception {
        ok("create", "deployment", "held", "--image=nginx:1.27");
        ok("rollout", "status", "deployment/held", "--timeout=50s");
        ok("rollout", "pause", "deployment/held");
        ok("set", "image", "deployment/held", "nginx=nginx:1.28");
        // the controller observes the paused generation (rollout status only counts replicas once it has)
        ok("wait", "--for=jsonpath={.status.observedGeneration}=3", "deployment/held", "--timeout=50s");

        Result waiting = kubectl("rollout", "status", "deployment/held", "--timeout=3s");

        assertThat(waiting.exit()).as(waiting.all()).isEqualTo(1);
        assertThat(waiting.all()).contains("Waiting for deployment \"held\" rollout to finish: 0 out of 1 new "
                + "replicas have been updated").contains("timed out");
        ok("rollout", "resume", "deployment/held");
        assertThat(ok("rollout", "status", "deployment/held", "--timeout=50s").out())
                .contains("deployment \"held\" successfully rolled out");
        ok("delete", "deployment", "held");
    }

    @Test
    void deletesADeploymentInTheForegroundOnlyOnceItsReplicaSetAndPodsAreGone() throws Exception {
        ok("create", "deployment", "fore", "--image=nginx:1.27", "--replicas=1");
        ok("rollout", "status", "deployment/fore", "--timeout=50s");
        String pod = ok("get", "pods", "-l", "app=fore", "-o", "jsonpath={.items[0].metadata.name}").out();
        // a finalizer of our own keeps the pod, and so the replica set and the deployment, while we look
        ok("patch", "pod", pod, "--type=merge", "-p", "{\"metadata\":{\"finalizers\":[\"example.com/hold\"]}}");

        ok("delete", "deployment", "fore", "--cascade=foreground", "--wait=false");

        Pods.await(sim.client().pods().inNamespace(ns).withName(pod),
                p -> p != null && p.getMetadata().getDeletionTimestamp() != null);
        assertThat(ok("get", "deployment", "fore", "-o", "jsonpath={.metadata.finalizers}").out())
                .isEqualTo("[\"foregroundDeletion\"]");
        assertThat(ok("get", "replicasets", "-l", "app=fore", "-o", "jsonpath={.items[*].metadata.finalizers}")
                .out()).isEqualTo("[\"foregroundDeletion\"]");
        ok("patch", "pod", pod, "--type=json", "-p", "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");
        ok("wait", "--for=delete", "deployment/fore", "--timeout=50s");
        assertThat(ok("get", "replicasets,pods", "-l", "app=fore").all()).contains("No resources found");
    }

    @Test
    void refusesANewFinalizerOnAConfigMapBeingDeletedWithTheRealMessage() throws Exception {
        ok("create", "configmap", "late", "--from-literal=k=v");
        ok("patch", "configmap", "late", "--type=merge", "-p",
                "{\"metadata\":{\"finalizers\":[\"example.com/keep\"]}}");
        ok("delete", "configmap", "late", "--wait=false");

        Result refused = kubectl("patch", "configmap", "late", "--type=json", "-p",
                "[{\"op\":\"add\",\"path\":\"/metadata/finalizers/-\",\"value\":\"example.com/late\"}]");

        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("The ConfigMap \"late\" is invalid: metadata.finalizers: Forbidden: no new "
                + "finalizers can be added if the object is being deleted, found new finalizers "
                + "[]string{\"example.com/late\"}");
        ok("patch", "configmap", "late", "--type=json", "-p",
                "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");
        ok("wait", "--for=delete", "configmap/late", "--timeout=50s");
    }

    @Test
    void orphansADeploymentsReplicaSetAndPodsWithCascadeOrphan() throws Exception {
        ok("create", "deployment", "orph", "--image=nginx:1.27", "--replicas=2");
        ok("rollout", "status", "deployment/orph", "--timeout=50s");
        String rs = ok("get", "replicasets", "-l", "app=orph", "-o", "jsonpath={.items[0].metadata.name}").out();

        assertThat(ok("delete", "deployment", "orph", "--cascade=orphan", "--timeout=50s").out())
                .contains("deployment.apps \"orph\" deleted");

        assertThat(ok("get", "replicaset", rs, "-o", "jsonpath={.metadata.ownerReferences}").out()).isEmpty();
        assertThat(ok("get", "pods", "-l", "app=orph", "-o", "jsonpath={.items[*].status.phase}").out())
                .isEqualTo("Running Running");
        ok("delete", "replicaset", rs, "--timeout=50s");
    }

    @Test
    void rollsBackToTheFirstReplicaSetRatherThanCreatingAThird() throws Exception {
        ok("create", "deployment", "undone", "--image=nginx:1.27", "--replicas=2");
        ok("rollout", "status", "deployment/undone", "--timeout=50s");
        ok("set", "image", "deployment/undone", "nginx=nginx:1.28");
        ok("rollout", "status", "deployment/undone", "--timeout=50s");
        String before = ok("get", "replicasets", "-l", "app=undone", "-o", "jsonpath={.items[*].metadata.name}").out();
        assertThat(before.split(" ")).hasSize(2);

        assertThat(ok("rollout", "undo", "deployment/undone").out()).contains("rolled back");
        ok("rollout", "status", "deployment/undone", "--timeout=50s");

        assertThat(ok("get", "replicasets", "-l", "app=undone", "-o", "jsonpath={.items[*].metadata.name}").out())
                .isEqualTo(before);
        String serving = ok("get", "replicasets", "-l", "app=undone", "-o",
                "jsonpath={.items[?(@.spec.replicas==2)].spec.template.spec.containers[0].image}").out();
        assertThat(serving).isEqualTo("nginx:1.27");
    }

    @Test
    void showsTheServerDefaultsAndNoZeroValuesOfAnObjectKubectlSentAsProtobuf() throws Exception {
        ok("create", "deployment", "shown", "--image=nginx:1.27");

        String yaml = ok("get", "deployment", "shown", "-o", "yaml").out();

        assertThat(yaml).contains("replicas: 1", "revisionHistoryLimit: 10", "progressDeadlineSeconds: 600",
                "maxSurge: 25%", "maxUnavailable: 25%", "type: RollingUpdate", "imagePullPolicy: IfNotPresent",
                "terminationMessagePath: /dev/termination-log", "terminationMessagePolicy: File",
                "dnsPolicy: ClusterFirst", "restartPolicy: Always", "schedulerName: default-scheduler",
                "securityContext: {}", "terminationGracePeriodSeconds: 30", "resources: {}");
        assertThat(yaml).doesNotContain("stdin: false", "stdinOnce: false", "tty: false", "hostNetwork: false",
                "hostPID: false", "hostIPC: false", "paused: false", "minReadySeconds: 0", "generation: 0");
        ok("delete", "deployment", "shown");
    }

    @Test
    void describesThePodsServiceAccountTokenVolumeAndItsMountAsForARealServersPod() throws Exception {
        ok("run", "described", "--image=nginx:1.27");

        String described = ok("describe", "pod", "described").out();

        // kubectl's describe (printProjectedVolumeSource) of the volume ServiceAccount admission adds
        assertThat(described).containsPattern("/var/run/secrets/kubernetes\\.io/serviceaccount from "
                + "kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5} \\(ro\\)")
                .containsPattern("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}:\\s+Type:\\s+Projected \\(a volume "
                        + "that contains injected data from multiple sources\\)\\s+TokenExpirationSeconds:\\s+3607\\s+"
                        + "ConfigMapName:\\s+kube-root-ca\\.crt\\s+ConfigMapOptional:\\s+<nil>\\s+DownwardAPI:\\s+true");
        assertThat(ok("get", "configmap", "kube-root-ca.crt", "-o", "jsonpath={.data.ca\\.crt}").out())
                .isEqualTo(sim.certificates().caPem());
        ok("delete", "pod", "described", "--grace-period=0", "--force");
    }

    @Test
    void deletesAPodGracefullyAndWaitsUntilItIsGone() throws Exception {
        sim.client().pods().inNamespace(ns).resource(Pods.pod("leaving").editSpec()
                .withTerminationGracePeriodSeconds(30L).endSpec().build()).create();
        Pods.awaitReady(sim.client(), ns, "leaving");
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (io.fabric8.kubernetes.client.Watch w = sim.client().pods().inNamespace(ns)
                .withField("metadata.name", "leaving").watch(new io.fabric8.kubernetes.client.Watcher<>() {
                    @Override
                    public void eventReceived(Action action, io.fabric8.kubernetes.api.model.Pod pod) {
                        events.add(action + (pod.getMetadata().getDeletionTimestamp() == null ? "" : " terminating"));
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
                    }
                })) {
            assertThat(ok("delete", "pod", "leaving").out()).contains("pod \"leaving\" deleted");
            // kubectl's default --wait=true returns only once the pod is gone
            assertThat(sim.client().pods().inNamespace(ns).withName("leaving").get()).isNull();
        }
        // the delete marked the pod (MODIFIED, Terminating); its kubelet removed it later (DELETED)
        assertThat(events).contains("MODIFIED terminating", "DELETED terminating");
        assertThat(events.indexOf("MODIFIED terminating")).isLessThan(events.indexOf("DELETED terminating"));
    }

    @Test
    void forceDeletesAPodAtOnce() throws Exception {
        sim.client().pods().inNamespace(ns).resource(Pods.pod("forced").editSpec()
                .withTerminationGracePeriodSeconds(30L).endSpec().build()).create();
        Pods.awaitReady(sim.client(), ns, "forced");
        Result forced = ok("delete", "pod", "forced", "--grace-period=0", "--force");
        assertThat(forced.out()).contains("pod \"forced\" force deleted");
        assertThat(forced.err()).contains("Immediate deletion does not wait for confirmation");
        assertThat(sim.client().pods().inNamespace(ns).withName("forced").get()).isNull();
    }

    @Test
    void cordonsUncordonsAndDrainsANode() throws Exception {
        assertThat(ok("cordon", "node-3").out()).contains("node/node-3 cordoned");
        assertThat(ok("get", "node", "node-3").out()).contains("Ready,SchedulingDisabled");
        assertThat(ok("uncordon", "node-3").out()).contains("node/node-3 uncordoned");
        ok("create", "deployment", "drained", "--image=nginx:1.27", "--replicas=3");
        ok("rollout", "status", "deployment/drained", "--timeout=50s");
        Result drain = ok("drain", "node-2", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=50s");
        assertThat(drain.all()).contains("node/node-2 drained");
        // only this deployment's pods: another test's rollout may still create pods, and a scheduler whose node view
        // lags the cordon by a moment can bind one to node-2 after drain listed it (a real scheduler can too)
        assertThat(ok("get", "pods", "-l", "app=drained", "--field-selector", "spec.nodeName=node-2", "-A").all())
                .contains("No resources found");
        ok("uncordon", "node-2");
    }

    @Test
    void taintsANodeOutOfServiceAndRemovesTheTaintAgain() throws Exception {
        // a node object with no kubelet behind it: NoExecute on it evicts no other test's pods
        ok("create", "-f", manifest("shutdown-node", """
                apiVersion: v1
                kind: Node
                metadata:
                  name: shut-down
                """).toString());

        assertThat(ok("taint", "nodes", "shut-down", "node.kubernetes.io/out-of-service=nodeshutdown:NoExecute").out())
                .contains("node/shut-down tainted");
        String taints = ok("get", "node", "shut-down", "-o", "jsonpath={.spec.taints}").out();
        // kubectl sets no timeAdded (kubectl/pkg/cmd/taint/utils.go parseTaint) and the API server adds none
        assertThat(taints).isEqualTo(
                "[{\"effect\":\"NoExecute\",\"key\":\"node.kubernetes.io/out-of-service\",\"value\":\"nodeshutdown\"}]");
        assertThat(ok("taint", "nodes", "shut-down", "node.kubernetes.io/out-of-service=nodeshutdown:NoExecute-").out())
                .contains("node/shut-down untainted");
        assertThat(ok("get", "node", "shut-down", "-o", "jsonpath={.spec.taints}").out()).isEmpty();
        ok("delete", "node", "shut-down");
    }
}
