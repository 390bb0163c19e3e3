package io.jenkins.plugins.kubeplatform.sim.kubevirt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jenkins.plugins.kubeplatform.sim.CustomResources;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Simulated KubeVirt plus the edge node agent inside the guest.
 *
 * <ul>
 *   <li>A {@code kubevirt.io/v1} VirtualMachine with runStrategy Always (or RerunOnFailure, Once) gets a
 *       VirtualMachineInstance; the VM shows {@code printableStatus} {@code Starting}, and after the boot time
 *       (simulated; divided by the cluster's speed) {@code Running} with an address.</li>
 *   <li>Failures on demand ({@link #fail}, or the {@link VmFailure#ANNOTATION} annotation): stuck {@code Starting},
 *       {@code CrashLoopBackOff}, {@code ErrorUnschedulable}, or running without joining.</li>
 *   <li>Join: when a VMI is running and its {@code cloudInitNoCloud.userDataSecretRef} Secret holds a join request
 *       (cloud-init {@code write_files} entry {@code /etc/kubeplatform/join.json}: method, server, node, labels), a
 *       Ready Node with those labels registers in the cluster behind the join server ({@link #joinTarget}; by default
 *       this cluster). A restart (the VMI deleted while the VM should run) boots and joins again.</li>
 *   <li>Deleting the VM deletes its VMI; with {@link #removeNodesWithVms} also its node.</li>
 * </ul>
 */
public final class SimKubeVirt implements SimController {

    public static final CustomResources VIRTUAL_MACHINE =
            new CustomResources("kubevirt.io", "v1", "VirtualMachine", "virtualmachines", true);
    public static final CustomResources VIRTUAL_MACHINE_INSTANCE =
            new CustomResources("kubevirt.io", "v1", "VirtualMachineInstance", "virtualmachineinstances", true);
    public static final CustomResources NODE_POOL =
            new CustomResources("apps.openyurt.io", "v1beta1", "NodePool", "nodepools", false);

    /** Where cloud-init writes the join request and the token (see the edge VM join script). */
    public static final String JOIN_SPEC_PATH = "/etc/kubeplatform/join.json";
    public static final String JOIN_TOKEN_PATH = "/etc/kubeplatform/join-token";

    private static final Logger LOG = Logger.getLogger(SimKubeVirt.class.getName());
    /** Version-checked writes of a VM's status before giving up on a run of conflicts. */
    static final int STATUS_ATTEMPTS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private final Duration bootTime;
    private final Map<String, KubernetesClient> joinTargets = new ConcurrentHashMap<>();
    private final Map<String, String> expectedTokens = new ConcurrentHashMap<>();
    private final Map<String, Injected> failures = new ConcurrentHashMap<>();
    private final AtomicInteger addresses = new AtomicInteger();
    private final Map<String, AtomicInteger> boots = new ConcurrentHashMap<>();
    private volatile boolean removeNodesWithVms;
    private SimContext context;

    private record Injected(VmFailure failure, int remaining) {
    }

    /** Boots take 20 simulated seconds (2 s of wall-clock time at the default speed of 10). */
    public SimKubeVirt() {
        this(Duration.ofSeconds(20));
    }

    public SimKubeVirt(Duration bootTime) {
        this.bootTime = Objects.requireNonNull(bootTime);
    }

    @Override
    public String name() {
        return "kubevirt";
    }

    /** Makes the next {@code boots} boots of VM {@code namespace/name} fail (survives deleting and recreating it). */
    public SimKubeVirt fail(String namespace, String name, VmFailure failure, int boots) {
        failures.put(namespace + "/" + name, new Injected(failure, boots));
        return this;
    }

    /** Makes every boot of VM {@code namespace/name} fail until {@link #heal}. */
    public SimKubeVirt fail(String namespace, String name, VmFailure failure) {
        return fail(namespace, name, failure, Integer.MAX_VALUE);
    }

    public SimKubeVirt heal(String namespace, String name) {
        failures.remove(namespace + "/" + name);
        return this;
    }

    /** Nodes joining through {@code server} register in the cluster behind {@code client} (e.g. another sim). */
    public SimKubeVirt joinTarget(String server, KubernetesClient client) {
        joinTargets.put(server, client);
        return this;
    }

    /** Joins through {@code server} succeed only with this token (otherwise any token is accepted). */
    public SimKubeVirt expectToken(String server, String token) {
        expectedTokens.put(server, token);
        return this;
    }

    /** Whether deleting a VM also removes the node it registered (default: no; the node goes NotReady). */
    public SimKubeVirt removeNodesWithVms(boolean remove) {
        this.removeNodesWithVms = remove;
        return this;
    }

    /** How many VMIs of VM {@code namespace/name} have booted (or tried to), across deletions of the VM. */
    public int boots(String namespace, String name) {
        AtomicInteger n = boots.get(namespace + "/" + name);
        return n == null ? 0 : n.get();
    }

    @Override
    public void start(SimContext ctx) {
        this.context = ctx;
        KubernetesClient client = ctx.client();
        CustomResources.ensure(client, VIRTUAL_MACHINE);
        CustomResources.ensure(client, VIRTUAL_MACHINE_INSTANCE);
        CustomResources.ensure(client, NODE_POOL);
        ctx.observe(client.genericKubernetesResources(VIRTUAL_MACHINE.context()).inAnyNamespace(),
                new io.jenkins.plugins.kubeplatform.sim.ChangeHandler<>() {
                    @Override
                    public void changed(GenericKubernetesResource vm) {
                        reconcile(vm);
                    }

                    @Override
                    public void deleted(GenericKubernetesResource vm) {
                        vmDeleted(vm);
                    }
                });
        ctx.observe(client.genericKubernetesResources(VIRTUAL_MACHINE_INSTANCE.context()).inAnyNamespace(),
                new io.jenkins.plugins.kubeplatform.sim.ChangeHandler<>() {
                    @Override
                    public void changed(GenericKubernetesResource vmi) {
                    }

                    @Override
                    public void deleted(GenericKubernetesResource vmi) {
                        vmiDeleted(vmi);
                    }
                });
        // Like KubeVirt's controllers, resync now and then: a watch event lost while the client reconnects (the mock
        // server does not replay history) must not leave a VM without its VMI (the garbage collector removes the VMI
        // of a VM that is gone).
        Duration every = ctx.scaled(Duration.ofSeconds(10));
        long millis = Math.max(200, every.toMillis());
        ctx.executor().scheduleWithFixedDelay(() -> ctx.run(this::resync), millis, millis,
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void resync() {
        for (GenericKubernetesResource vm : client().genericKubernetesResources(vms()).inAnyNamespace().list()
                .getItems()) {
            reconcile(vm);
        }
    }

    private KubernetesClient client() {
        return context.client();
    }

    private static ResourceDefinitionContext vms() {
        return VIRTUAL_MACHINE.context();
    }

    private static ResourceDefinitionContext vmis() {
        return VIRTUAL_MACHINE_INSTANCE.context();
    }

    private void reconcile(GenericKubernetesResource observed) {
        String ns = observed.getMetadata().getNamespace();
        String name = observed.getMetadata().getName();
        GenericKubernetesResource vm = client().genericKubernetesResources(vms()).inNamespace(ns).withName(name).get();
        if (vm == null || vm.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        String strategy = string(vm, "spec", "runStrategy").orElse("Halted");
        GenericKubernetesResource vmi = client().genericKubernetesResources(vmis()).inNamespace(ns).withName(name).get();
        boolean shouldRun = strategy.equals("Always") || strategy.equals("RerunOnFailure") || strategy.equals("Once");
        if (!shouldRun) {
            if (vmi != null) {
                client().genericKubernetesResources(vmis()).inNamespace(ns).withName(name).delete();
            }
            setVmStatus(ns, name, "Stopped", false);
            return;
        }
        if (vmi != null && !ownedBy(vmi, vm)) {
            // Left over from an earlier VM of the same name (its deletion event may not have reached us yet).
            client().genericKubernetesResources(vmis()).inNamespace(ns).withName(name).delete();
            vmi = null;
        }
        if (vmi == null) {
            createVmi(vm);
        } else if ("Running".equals(map(vmi.getAdditionalProperties().get("status")).get("phase"))) {
            // as KubeVirt's VM controller derives the VM's status from its VMI at every sync: a status write the
            // boot gave up on after a run of conflicts lands on a later pass
            setVmStatus(ns, name, "Running", true);
        }
    }

    private static boolean ownedBy(GenericKubernetesResource vmi, GenericKubernetesResource vm) {
        var owners = vmi.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(o -> Objects.equals(o.getUid(), vm.getMetadata().getUid()));
    }

    private void createVmi(GenericKubernetesResource vm) {
        String ns = vm.getMetadata().getNamespace();
        String name = vm.getMetadata().getName();
        VmFailure failure = failureFor(vm);
        Map<String, Object> template = map(map(vm.getAdditionalProperties().get("spec")).get("template"));
        Map<String, Object> templateMeta = map(template.get("metadata"));
        GenericKubernetesResource vmi = new GenericKubernetesResource();
        vmi.setApiVersion("kubevirt.io/v1");
        vmi.setKind("VirtualMachineInstance");
        vmi.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns)
                .withLabels(stringMap(templateMeta.get("labels")))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("kubevirt.io/v1")
                        .withKind("VirtualMachine").withName(name).withUid(vm.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .build());
        vmi.setAdditionalProperty("spec", template.getOrDefault("spec", Map.of()));
        vmi.setAdditionalProperty("status", Map.of("phase", "Scheduling"));
        GenericKubernetesResource created;
        try {
            created = client().genericKubernetesResources(vmis()).inNamespace(ns).resource(vmi).create();
        } catch (KubernetesClientException e) {
            return; // already exists: a concurrent reconcile made it
        }
        boots.computeIfAbsent(ns + "/" + name, k -> new AtomicInteger()).incrementAndGet();
        setVmStatus(ns, name, failure == VmFailure.UNSCHEDULABLE ? "ErrorUnschedulable" : "Starting", false);
        context.events().normal(vm, "SuccessfulCreate", "Started the virtual machine by creating the new virtual "
                + "machine instance " + name);
        String uid = created.getMetadata().getUid();
        context.after(bootTime, () -> boot(ns, name, uid, failure));
    }

    private void boot(String ns, String name, String vmiUid, VmFailure failure) {
        GenericKubernetesResource vmi = client().genericKubernetesResources(vmis()).inNamespace(ns).withName(name).get();
        if (vmi == null || !Objects.equals(vmi.getMetadata().getUid(), vmiUid)) {
            return;
        }
        GenericKubernetesResource vm = client().genericKubernetesResources(vms()).inNamespace(ns).withName(name).get();
        if (vm == null || !ownedBy(vmi, vm)) {
            return;
        }
        if (failure != null && failure != VmFailure.NO_JOIN) {
            setVmiStatus(vmi, Map.of("phase", failure.vmiPhase()));
            setVmStatus(ns, name, failure.printableStatus(), false);
            context.events().warning(vm, failure.printableStatus(), "simulated failure: " + failure.id());
            return;
        }
        int n = addresses.incrementAndGet();
        String ip = "10.201." + (n / 250) + "." + (n % 250 + 1);
        String host = anyNodeName().orElse("");
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", "Running");
        status.put("nodeName", host);
        status.put("interfaces", List.of(Map.of("name", "default", "ipAddress", ip, "ipAddresses", List.of(ip))));
        status.put("conditions", List.of(Map.of("type", "Ready", "status", "True")));
        setVmiStatus(vmi, status);
        setVmStatus(ns, name, "Running", true);
        if (failure == VmFailure.NO_JOIN) {
            context.events().warning(vm, "JoinFailed", "simulated failure: the guest could not join its cluster");
            return;
        }
        join(vm, vmi, ip);
    }

    private Optional<String> anyNodeName() {
        return client().nodes().list().getItems().stream()
                .filter(n -> n.getMetadata().getLabels() == null
                        || !n.getMetadata().getLabels().containsKey("kubeplatform.jenkins.io/edge-vm"))
                .map(n -> n.getMetadata().getName()).sorted().findFirst();
    }

    /** Reads the join request from the cloud-init Secret and registers (or re-registers) the node. */
    private void join(GenericKubernetesResource vm, GenericKubernetesResource vmi, String ip) {
        Optional<JoinRequest> request = joinRequest(vm);
        if (request.isEmpty()) {
            return;
        }
        JoinRequest join = request.get();
        String expected = expectedTokens.get(join.server());
        if (expected != null && !expected.equals(join.token())) {
            context.events().warning(vm, "JoinFailed", "join to " + join.server() + " was refused: bad token");
            return;
        }
        KubernetesClient target = joinTargets.getOrDefault(join.server(), client());
        Map<String, Object> domain = map(map(map(vmi.getAdditionalProperties().get("spec")).get("domain")));
        Object cores = map(domain.get("cpu")).getOrDefault("cores", 1);
        Object memory = map(domain.get("memory")).getOrDefault("guest", "1Gi");
        Map<String, String> labels = new LinkedHashMap<>(join.labels());
        labels.put("kubernetes.io/hostname", join.node());
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", "amd64");
        if (join.method().equals("openyurt")) {
            labels.put("openyurt.io/is-edge-worker", "true");
            labels.put("apps.openyurt.io/desired-nodepool", join.cluster());
        }
        String now = context.clock().instant().toString();
        Map<String, Quantity> capacity = Map.of("cpu", new Quantity(String.valueOf(cores)),
                "memory", new Quantity(String.valueOf(memory)), "pods", new Quantity("110"));
        Node node = new NodeBuilder()
                .withNewMetadata().withName(join.node()).withLabels(labels)
                .addToAnnotations("sim.kubeplatform.jenkins.io/joined-by", join.method())
                .endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus().withCapacity(capacity).withAllocatable(capacity)
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withMessage("kubelet is posting ready status").withLastHeartbeatTime(now).withLastTransitionTime(now)
                .endCondition()
                .addNewAddress().withType("InternalIP").withAddress(ip).endAddress()
                .addNewAddress().withType("Hostname").withAddress(join.node()).endAddress()
                .withNewNodeInfo().withArchitecture("amd64").withOperatingSystem("linux")
                .withKubeletVersion(SimulatedCluster.KUBERNETES_VERSION
                        + (join.method().equals("k3s") ? "+k3s1" : ""))
                .withOsImage("Simulated edge VM").withKernelVersion("6.1.0-sim").withMachineID(join.node())
                .withSystemUUID(join.node()).withBootID(vmi.getMetadata().getUid()).endNodeInfo()
                .endStatus().build();
        Node existing = target.nodes().withName(join.node()).get();
        if (existing == null) {
            target.nodes().resource(node).create();
        } else {
            // A rejoin (after a restart) keeps what others set on the node (cordon, taints) and refreshes the rest.
            // Labels through the node, status through nodes/status (a write of the node ignores its status).
            existing.getMetadata().setLabels(merge(existing.getMetadata().getLabels(), labels));
            Node relabelled = target.nodes().resource(existing).update();
            relabelled.setStatus(node.getStatus());
            target.nodes().resource(relabelled).updateStatus();
        }
        context.events().normal(vm, "NodeJoined", "joined " + join.cluster() + " via " + join.method() + " as node "
                + join.node());
    }

    record JoinRequest(String method, String server, String cluster, String node, Map<String, String> labels,
                       String token) {
    }

    /** The join request of a VM's cloud-init Secret, if it has one. */
    Optional<JoinRequest> joinRequest(GenericKubernetesResource vm) {
        String ns = vm.getMetadata().getNamespace();
        Optional<String> secretName = cloudInitSecret(vm);
        if (secretName.isEmpty()) {
            return Optional.empty();
        }
        Secret secret = client().secrets().inNamespace(ns).withName(secretName.get()).get();
        if (secret == null || secret.getData() == null) {
            return Optional.empty();
        }
        String encoded = secret.getData().getOrDefault("userdata", secret.getData().get("userData"));
        if (encoded == null) {
            return Optional.empty();
        }
        try {
            JsonNode doc = YAML.readTree(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
            String spec = null;
            String token = null;
            for (JsonNode file : doc.path("write_files")) {
                if (JOIN_SPEC_PATH.equals(file.path("path").asText())) {
                    spec = file.path("content").asText();
                } else if (JOIN_TOKEN_PATH.equals(file.path("path").asText())) {
                    token = file.path("content").asText();
                }
            }
            if (spec == null) {
                return Optional.empty();
            }
            JsonNode s = JSON.readTree(spec);
            Map<String, String> labels = new LinkedHashMap<>();
            s.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            return Optional.of(new JoinRequest(s.path("method").asText("k3s"), s.path("server").asText(),
                    s.path("cluster").asText(), s.path("node").asText(vm.getMetadata().getName()), labels, token));
        } catch (java.io.IOException | IllegalArgumentException e) {
            context.events().warning(vm, "CloudInitInvalid", "cloud-init user data is not readable: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<String> cloudInitSecret(GenericKubernetesResource vm) {
        Map<String, Object> spec = map(map(map(vm.getAdditionalProperties().get("spec")).get("template")).get("spec"));
        Object volumes = spec.get("volumes");
        if (volumes instanceof List<?> list) {
            for (Object v : list) {
                Map<String, Object> volume = map(v);
                for (String kind : List.of("cloudInitNoCloud", "cloudInitConfigDrive")) {
                    Object ref = map(map(volume.get(kind)).get("userDataSecretRef")).get("name");
                    if (ref instanceof String name) {
                        return Optional.of(name);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The VM's VMI, which it owns, goes with the garbage collector; its joined node goes here. */
    private void vmDeleted(GenericKubernetesResource vm) {
        String name = vm.getMetadata().getName();
        if (removeNodesWithVms) {
            Optional<JoinRequest> join = joinRequest(vm);
            String node = join.map(JoinRequest::node).orElse(name);
            KubernetesClient target = join.map(j -> joinTargets.getOrDefault(j.server(), client())).orElse(client());
            target.nodes().withName(node).delete();
        }
    }

    /** A VMI went away: if its VM should still run, that was a restart, so boot a new one. */
    private void vmiDeleted(GenericKubernetesResource vmi) {
        String ns = vmi.getMetadata().getNamespace();
        String name = vmi.getMetadata().getName();
        GenericKubernetesResource vm = client().genericKubernetesResources(vms()).inNamespace(ns).withName(name).get();
        if (vm != null && vm.getMetadata().getDeletionTimestamp() == null) {
            if (ownedBy(vmi, vm)) {
                markJoinedNodeNotReady(vm);
            }
            reconcile(vm);
        }
    }

    /** While the guest reboots, its kubelet stops posting status. */
    private void markJoinedNodeNotReady(GenericKubernetesResource vm) {
        Optional<JoinRequest> join = joinRequest(vm);
        if (join.isEmpty()) {
            return;
        }
        KubernetesClient target = joinTargets.getOrDefault(join.get().server(), client());
        Node node = target.nodes().withName(join.get().node()).get();
        if (node != null && node.getStatus() != null && node.getStatus().getConditions() != null) {
            node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).forEach(c -> {
                c.setStatus("Unknown");
                c.setReason("NodeStatusUnknown");
            });
            target.nodes().resource(node).updateStatus();
        }
    }

    private VmFailure failureFor(GenericKubernetesResource vm) {
        String key = vm.getMetadata().getNamespace() + "/" + vm.getMetadata().getName();
        Injected injected = failures.get(key);
        if (injected != null) {
            if (injected.remaining() <= 1) {
                failures.remove(key);
            } else if (injected.remaining() != Integer.MAX_VALUE) {
                failures.put(key, new Injected(injected.failure(), injected.remaining() - 1));
            }
            return injected.failure();
        }
        Map<String, String> annotations = vm.getMetadata().getAnnotations();
        return annotations == null ? null : VmFailure.parse(annotations.get(VmFailure.ANNOTATION)).orElse(null);
    }

    /**
     * Writes the VM's status: read, change, version-checked write, again after a conflict, at most
     * {@link #STATUS_ATTEMPTS} times (as {@code Writes.update}); after that the status is left as the other writer made
     * it for a later pass ({@link #reconcile} on the next change or resync) and the attempt is logged. Returns whether
     * the VM has this status now.
     */
    boolean setVmStatus(String ns, String name, String printableStatus, boolean ready) {
        for (int attempt = 0; attempt < STATUS_ATTEMPTS; attempt++) {
            GenericKubernetesResource vm = client().genericKubernetesResources(vms()).inNamespace(ns).withName(name)
                    .get();
            if (vm == null) {
                return false;
            }
            Map<String, Object> status = new LinkedHashMap<>(map(vm.getAdditionalProperties().get("status")));
            if (printableStatus.equals(status.get("printableStatus")) && Objects.equals(ready, status.get("ready"))) {
                return true;
            }
            status.put("printableStatus", printableStatus);
            status.put("ready", ready);
            status.put("created", !printableStatus.equals("Stopped"));
            vm.setAdditionalProperty("status", status);
            try {
                client().genericKubernetesResources(vms()).inNamespace(ns).resource(vm).updateStatus();
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    return false;
                }
            }
        }
        LOG.warning(() -> "kubevirt: status " + printableStatus + " of VM " + ns + "/" + name + " not written: "
                + STATUS_ATTEMPTS + " conflicts in a row");
        return false;
    }

    private void setVmiStatus(GenericKubernetesResource vmi, Map<String, Object> status) {
        vmi.setAdditionalProperty("status", status);
        client().genericKubernetesResources(vmis()).inNamespace(vmi.getMetadata().getNamespace()).resource(vmi)
                .updateStatus();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static Map<String, String> stringMap(Object value) {
        Map<String, String> out = new HashMap<>();
        map(value).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> out = new LinkedHashMap<>(a == null ? Map.of() : a);
        out.putAll(b);
        return out;
    }

    private static Optional<String> string(GenericKubernetesResource r, String... path) {
        Object current = r.getAdditionalProperties();
        for (String key : path) {
            current = map(current).get(key);
        }
        return current instanceof String s ? Optional.of(s) : Optional.empty();
    }
}
