package io.jenkins.plugins.kubeplatform.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.kubeplatform.sim.quota.LimitRanger;
import java.util.List;

/**
 * The defaults kube-apiserver v1.32 fills into a built-in object it decodes, on every write (create, update, every
 * patch type, server-side apply, dry runs): the {@code SetDefaults_*} functions of kubernetes/kubernetes
 * {@code pkg/apis/core/v1/defaults.go}, {@code pkg/apis/apps/v1/defaults.go}, {@code pkg/apis/batch/v1/defaults.go},
 * {@code pkg/apis/networking/v1/defaults.go} and {@code pkg/apis/autoscaling/v1/defaults.go}, the declarative
 * {@code +default} tags of {@code staging/src/k8s.io/api/core/v1/types.go}, and the few values the service registry
 * sets on create ({@code ipFamilies}, {@code ipFamilyPolicy}). Each method names the function it follows. A default
 * never replaces a value the object carries.
 */
public final class Defaulting {

    private Defaulting() {
    }

    /** {@code object} (a copy) with the defaults of its kind; other kinds come back as they are. */
    public static JsonNode apply(String group, String resource, JsonNode object) {
        if (!(object instanceof ObjectNode original)) {
            return object;
        }
        ObjectNode o = original.deepCopy();
        ObjectNode spec = o.get("spec") instanceof ObjectNode s ? s : null;
        switch (group + "/" + resource) {
            case "/pods" -> {
                if (spec != null) {
                    pod(spec);
                    podSpec(spec);
                }
            }
            case "/podtemplates" -> template(o.get("template"));
            case "scheduling.k8s.io/priorityclasses" -> setIfAbsent(o, "preemptionPolicy", "PreemptLowerPriority");
            case "/limitranges" -> LimitRanger.defaults(o);
            case "/replicationcontrollers" -> {
                if (spec != null) {
                    replicationController(o, spec);
                }
            }
            case "apps/deployments" -> {
                if (spec != null) {
                    deployment(spec);
                }
            }
            case "apps/replicasets" -> {
                if (spec != null) {
                    setIfAbsent(spec, "replicas", 1);
                    template(spec.get("template"));
                }
            }
            case "apps/statefulsets" -> {
                if (spec != null) {
                    statefulSet(spec);
                }
            }
            case "apps/daemonsets" -> {
                if (spec != null) {
                    daemonSet(spec);
                }
            }
            case "batch/jobs" -> {
                if (spec != null) {
                    job(o, spec);
                }
            }
            case "batch/cronjobs" -> {
                if (spec != null) {
                    cronJob(spec);
                }
            }
            case "/services" -> {
                if (spec != null) {
                    service(spec);
                }
            }
            case "/secrets" -> setIfAbsent(o, "type", "Opaque");
            case "/namespaces" -> namespace(o);
            case "/persistentvolumeclaims" -> {
                if (spec != null) {
                    setIfAbsent(spec, "volumeMode", "Filesystem");
                }
                setIfAbsent(o.with("status"), "phase", "Pending");
            }
            case "/persistentvolumes" -> {
                if (spec != null) {
                    setIfAbsent(spec, "persistentVolumeReclaimPolicy", "Retain");
                    setIfAbsent(spec, "volumeMode", "Filesystem");
                }
                setIfAbsent(o.with("status"), "phase", "Pending");
            }
            case "/endpoints" -> {
                for (JsonNode subset : o.path("subsets")) {
                    portProtocols(subset.get("ports"));
                }
            }
            case "/nodes" -> nodeStatus(o.get("status"));
            case "networking.k8s.io/networkpolicies" -> {
                if (spec != null) {
                    networkPolicy(spec);
                }
            }
            case "networking.k8s.io/ingressclasses" -> {
                if (spec != null && spec.get("parameters") instanceof ObjectNode parameters) {
                    // SetDefaults_IngressClass
                    setIfAbsent(parameters, "scope", "Cluster");
                }
            }
            case "autoscaling/horizontalpodautoscalers" -> {
                if (spec != null) {
                    setIfAbsent(spec, "minReplicas", 1);
                }
            }
            default -> {
                return original;
            }
        }
        return o;
    }

    // ---- core/v1 ---------------------------------------------------------------------------------------------

    /** {@code SetDefaults_Pod}: what only a pod (not a pod template) gets. */
    private static void pod(ObjectNode spec) {
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode c : spec.path(list)) {
                if (c.path("resources").get("limits") instanceof ObjectNode limits) {
                    ObjectNode requests = ((ObjectNode) c).with("resources").with("requests");
                    limits.fields().forEachRemaining(e -> {
                        if (!requests.has(e.getKey())) {
                            requests.set(e.getKey(), e.getValue().deepCopy());
                        }
                    });
                }
            }
        }
        setIfAbsent(spec, "enableServiceLinks", true);
        if (spec.path("hostNetwork").asBoolean(false)) {
            for (String list : List.of("containers", "initContainers")) {
                for (JsonNode c : spec.path(list)) {
                    for (JsonNode port : c.path("ports")) {
                        if (port.path("hostPort").asInt(0) == 0 && port instanceof ObjectNode p) {
                            p.set("hostPort", port.path("containerPort").deepCopy());
                        }
                    }
                }
            }
        }
    }

    /** A pod template's spec: {@link #podSpec}. */
    private static void template(JsonNode template) {
        if (template != null && template.get("spec") instanceof ObjectNode spec) {
            podSpec(spec);
        }
    }

    /**
     * {@code SetDefaults_PodSpec} and what the generated defaulter applies below a pod spec: its containers
     * ({@code SetDefaults_Container}, {@code SetDefaults_Probe}, {@code SetDefaults_HTTPGetAction}, the port protocol),
     * its volumes ({@code SetDefaults_Volume} and the volume sources' defaults).
     */
    private static void podSpec(ObjectNode spec) {
        setIfAbsent(spec, "dnsPolicy", "ClusterFirst");
        setIfAbsent(spec, "restartPolicy", "Always");
        if (!spec.hasNonNull("securityContext")) {
            spec.putObject("securityContext");
        }
        setIfAbsent(spec, "terminationGracePeriodSeconds", 30);
        setIfAbsent(spec, "schedulerName", "default-scheduler");
        for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
            for (JsonNode c : spec.path(list)) {
                if (c instanceof ObjectNode container) {
                    container(container);
                }
            }
        }
        for (JsonNode v : spec.path("volumes")) {
            if (v instanceof ObjectNode volume) {
                volume(volume);
            }
        }
    }

    /** {@code SetDefaults_Container} and the defaults of its ports, probes, lifecycle handlers and env sources. */
    private static void container(ObjectNode c) {
        if (!c.hasNonNull("imagePullPolicy") || c.path("imagePullPolicy").asText().isEmpty()) {
            c.put("imagePullPolicy", defaultPullPolicy(c.path("image").asText("")));
        }
        setIfAbsent(c, "terminationMessagePath", "/dev/termination-log");
        setIfAbsent(c, "terminationMessagePolicy", "File");
        // not a default: Container.Resources is a non-pointer struct, so the server's JSON always has it
        if (!c.hasNonNull("resources")) {
            c.putObject("resources");
        }
        portProtocols(c.get("ports"));
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            if (c.get(probe) instanceof ObjectNode p) {
                probe(p);
            }
        }
        for (String hook : List.of("postStart", "preStop")) {
            httpGet(c.path("lifecycle").get(hook));
        }
        for (JsonNode env : c.path("env")) {
            fieldRef(env.path("valueFrom").get("fieldRef"));
        }
    }

    /**
     * The pull policy {@code SetDefaults_Container} gives a container of {@code image} without one: {@code Always} for
     * the tag {@code latest} (also beside a digest, and when there is neither tag nor digest), else
     * {@code IfNotPresent}.
     */
    public static String defaultPullPolicy(String image) {
        return imageTag(image).equals("latest") ? "Always" : "IfNotPresent";
    }

    /** The image's tag as {@code parsers.ParseImageName} reads it: {@code latest} when it has neither tag nor digest. */
    static String imageTag(String image) {
        if (image.isEmpty()) {
            return "";
        }
        int at = image.indexOf('@');
        String name = at >= 0 ? image.substring(0, at) : image;
        String last = name.substring(name.lastIndexOf('/') + 1);
        int colon = last.indexOf(':');
        if (colon >= 0) {
            return last.substring(colon + 1);
        }
        return at >= 0 ? "" : "latest";
    }

    /** {@code SetDefaults_Probe}, and {@code SetDefaults_HTTPGetAction} for an HTTP probe. */
    private static void probe(ObjectNode p) {
        setIfZero(p, "timeoutSeconds", 1);
        setIfZero(p, "periodSeconds", 10);
        setIfZero(p, "successThreshold", 1);
        setIfZero(p, "failureThreshold", 3);
        httpGet(p);
    }

    /** {@code SetDefaults_HTTPGetAction} on the handler's {@code httpGet}, if it has one. */
    private static void httpGet(JsonNode handler) {
        if (handler != null && handler.get("httpGet") instanceof ObjectNode get) {
            setIfAbsent(get, "path", "/");
            setIfAbsent(get, "scheme", "HTTP");
        }
    }

    /** {@code SetDefaults_ObjectFieldSelector}. */
    private static void fieldRef(JsonNode ref) {
        if (ref instanceof ObjectNode r) {
            setIfAbsent(r, "apiVersion", "v1");
        }
    }

    /** The {@code +default="TCP"} of {@code ContainerPort}, {@code ServicePort}; {@code SetDefaults_Endpoints}. */
    private static void portProtocols(JsonNode ports) {
        if (ports != null) {
            for (JsonNode port : ports) {
                if (port instanceof ObjectNode p) {
                    setIfAbsent(p, "protocol", "TCP");
                }
            }
        }
    }

    /**
     * {@code SetDefaults_Volume} (no source at all is an emptyDir) and the defaults of its source:
     * {@code SetDefaults_SecretVolumeSource}, {@code ..._ConfigMapVolumeSource}, {@code ..._DownwardAPIVolumeSource},
     * {@code ..._ProjectedVolumeSource} (mode 0644), {@code ..._ServiceAccountTokenProjection} (one hour),
     * {@code ..._HostPathVolumeSource} (type ""), {@code ..._PersistentVolumeClaimSpec} of an ephemeral volume.
     */
    private static void volume(ObjectNode v) {
        boolean hasSource = false;
        var names = v.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            hasSource |= !name.equals("name") && v.hasNonNull(name);
        }
        if (!hasSource) {
            v.putObject("emptyDir");
        }
        for (String source : List.of("secret", "configMap", "downwardAPI", "projected")) {
            if (v.get(source) instanceof ObjectNode s) {
                setIfAbsent(s, "defaultMode", 420);
            }
        }
        for (JsonNode item : v.path("downwardAPI").path("items")) {
            fieldRef(item.get("fieldRef"));
        }
        for (JsonNode projection : v.path("projected").path("sources")) {
            if (projection.get("serviceAccountToken") instanceof ObjectNode token) {
                setIfAbsent(token, "expirationSeconds", 3600);
            }
            for (JsonNode item : projection.path("downwardAPI").path("items")) {
                fieldRef(item.get("fieldRef"));
            }
        }
        if (v.get("hostPath") instanceof ObjectNode hostPath) {
            setIfAbsent(hostPath, "type", "");
        }
        if (v.path("ephemeral").path("volumeClaimTemplate").get("spec") instanceof ObjectNode claim) {
            setIfAbsent(claim, "volumeMode", "Filesystem");
        }
    }

    /** {@code SetDefaults_ReplicationController} and the declarative {@code replicas} default of 1. */
    private static void replicationController(ObjectNode o, ObjectNode spec) {
        JsonNode labels = spec.path("template").path("metadata").get("labels");
        if (labels != null && labels.isObject()) {
            if (spec.path("selector").isEmpty()) {
                spec.set("selector", labels.deepCopy());
            }
            if (o.path("metadata").path("labels").isEmpty()) {
                o.with("metadata").set("labels", labels.deepCopy());
            }
        }
        setIfAbsent(spec, "replicas", 1);
        template(spec.get("template"));
    }

    /** {@code SetDefaults_Service}, and {@code ipFamilies}/{@code ipFamilyPolicy} as the service registry sets them. */
    private static void service(ObjectNode spec) {
        setIfAbsent(spec, "sessionAffinity", "None");
        String affinity = spec.path("sessionAffinity").asText();
        if (affinity.equals("None")) {
            spec.remove("sessionAffinityConfig");
        } else if (affinity.equals("ClientIP") && !spec.path("sessionAffinityConfig").path("clientIP")
                .hasNonNull("timeoutSeconds")) {
            spec.putObject("sessionAffinityConfig").putObject("clientIP").put("timeoutSeconds", 10800);
        }
        setIfAbsent(spec, "type", "ClusterIP");
        String type = spec.path("type").asText();
        for (JsonNode port : spec.path("ports")) {
            if (port instanceof ObjectNode p) {
                setIfAbsent(p, "protocol", "TCP");
                JsonNode target = p.get("targetPort");
                if (target == null || target.isNull() || (target.isNumber() && target.asInt() == 0)
                        || (target.isTextual() && target.asText().isEmpty())) {
                    p.set("targetPort", p.path("port").deepCopy());
                }
            }
        }
        boolean externallyAccessible = type.equals("LoadBalancer") || type.equals("NodePort")
                || (type.equals("ClusterIP") && spec.path("externalIPs").size() > 0);
        if (externallyAccessible) {
            setIfAbsent(spec, "externalTrafficPolicy", "Cluster");
        }
        if (List.of("NodePort", "LoadBalancer", "ClusterIP").contains(type)) {
            setIfAbsent(spec, "internalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer")) {
            setIfAbsent(spec, "allocateLoadBalancerNodePorts", true);
        }
        // pkg/registry/core/service/storage/alloc.go, (*Allocators).initIPFamilyFields, on this single-stack
        // cluster: two families given mean RequireDualStack, else SingleStack with the cluster IP's family
        if (!type.equals("ExternalName")) {
            setIfAbsent(spec, "ipFamilyPolicy", spec.path("ipFamilies").size() == 2 ? "RequireDualStack"
                    : "SingleStack");
            if (!spec.hasNonNull("ipFamilies") || spec.path("ipFamilies").isEmpty()) {
                String ip = spec.path("clusterIP").asText("");
                spec.putArray("ipFamilies").add(ip.contains(":") ? "IPv6" : "IPv4");
            }
        }
    }

    /** {@code SetDefaults_Namespace}: the {@code kubernetes.io/metadata.name} label. */
    private static void namespace(ObjectNode o) {
        String name = o.path("metadata").path("name").asText("");
        if (!name.isEmpty()) {
            o.with("metadata").with("labels").put("kubernetes.io/metadata.name", name);
        }
    }

    /** {@code SetDefaults_NodeStatus}: allocatable is the capacity when not given. */
    private static void nodeStatus(JsonNode status) {
        if (status instanceof ObjectNode s && s.get("capacity") instanceof ObjectNode capacity
                && !s.hasNonNull("allocatable")) {
            s.set("allocatable", capacity.deepCopy());
        }
    }

    // ---- apps/v1 ---------------------------------------------------------------------------------------------

    /** {@code SetDefaults_Deployment}. */
    private static void deployment(ObjectNode spec) {
        setIfAbsent(spec, "replicas", 1);
        ObjectNode strategy = spec.with("strategy");
        setIfAbsent(strategy, "type", "RollingUpdate");
        if (strategy.path("type").asText().equals("RollingUpdate")) {
            ObjectNode rolling = strategy.with("rollingUpdate");
            setIfAbsent(rolling, "maxUnavailable", "25%");
            setIfAbsent(rolling, "maxSurge", "25%");
        }
        setIfAbsent(spec, "revisionHistoryLimit", 10);
        setIfAbsent(spec, "progressDeadlineSeconds", 600);
        template(spec.get("template"));
    }

    /** {@code SetDefaults_DaemonSet}. */
    private static void daemonSet(ObjectNode spec) {
        ObjectNode strategy = spec.with("updateStrategy");
        setIfAbsent(strategy, "type", "RollingUpdate");
        if (strategy.path("type").asText().equals("RollingUpdate")) {
            ObjectNode rolling = strategy.with("rollingUpdate");
            setIfAbsent(rolling, "maxUnavailable", 1);
            setIfAbsent(rolling, "maxSurge", 0);
        }
        setIfAbsent(spec, "revisionHistoryLimit", 10);
        template(spec.get("template"));
    }

    /**
     * {@code SetDefaults_StatefulSet} (the StatefulSetAutoDeletePVC retention policy is on in v1.32), and for each
     * volume claim template {@code SetDefaults_PersistentVolumeClaim} and {@code ..._PersistentVolumeClaimSpec}.
     */
    private static void statefulSet(ObjectNode spec) {
        setIfAbsent(spec, "podManagementPolicy", "OrderedReady");
        ObjectNode strategy = spec.with("updateStrategy");
        if (!strategy.hasNonNull("type") || strategy.path("type").asText().isEmpty()) {
            strategy.put("type", "RollingUpdate");
            if (!strategy.hasNonNull("rollingUpdate")) {
                strategy.putObject("rollingUpdate");
            }
        }
        if (strategy.path("type").asText().equals("RollingUpdate")
                && strategy.get("rollingUpdate") instanceof ObjectNode rolling) {
            setIfAbsent(rolling, "partition", 0);
        }
        ObjectNode retention = spec.with("persistentVolumeClaimRetentionPolicy");
        setIfAbsent(retention, "whenDeleted", "Retain");
        setIfAbsent(retention, "whenScaled", "Retain");
        setIfAbsent(spec, "replicas", 1);
        setIfAbsent(spec, "revisionHistoryLimit", 10);
        template(spec.get("template"));
        for (JsonNode claim : spec.path("volumeClaimTemplates")) {
            if (claim instanceof ObjectNode c) {
                setIfAbsent(c.with("spec"), "volumeMode", "Filesystem");
                setIfAbsent(c.with("status"), "phase", "Pending");
            }
        }
    }

    // ---- batch/v1 --------------------------------------------------------------------------------------------

    /** {@code SetDefaults_Job} (JobPodReplacementPolicy is on in v1.32). */
    private static void job(ObjectNode o, ObjectNode spec) {
        if (!spec.hasNonNull("completions") && !spec.hasNonNull("parallelism")) {
            spec.put("completions", 1);
            spec.put("parallelism", 1);
        }
        setIfAbsent(spec, "parallelism", 1);
        setIfAbsent(spec, "backoffLimit", spec.hasNonNull("backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
        JsonNode labels = spec.path("template").path("metadata").get("labels");
        if (labels != null && labels.isObject() && o.path("metadata").path("labels").isEmpty()) {
            o.with("metadata").set("labels", labels.deepCopy());
        }
        setIfAbsent(spec, "completionMode", "NonIndexed");
        setIfAbsent(spec, "suspend", false);
        setIfAbsent(spec, "podReplacementPolicy", spec.hasNonNull("podFailurePolicy") ? "Failed"
                : "TerminatingOrFailed");
        template(spec.get("template"));
    }

    /** {@code SetDefaults_CronJob}, and the pod template inside its job template. */
    private static void cronJob(ObjectNode spec) {
        setIfAbsent(spec, "concurrencyPolicy", "Allow");
        setIfAbsent(spec, "suspend", false);
        setIfAbsent(spec, "successfulJobsHistoryLimit", 3);
        setIfAbsent(spec, "failedJobsHistoryLimit", 1);
        template(spec.path("jobTemplate").path("spec").get("template"));
    }

    // ---- networking/v1 ---------------------------------------------------------------------------------------

    /** {@code SetDefaults_NetworkPolicy} and {@code SetDefaults_NetworkPolicyPort}. */
    private static void networkPolicy(ObjectNode spec) {
        if (spec.path("policyTypes").isEmpty()) {
            ArrayNode types = spec.putArray("policyTypes").add("Ingress");
            if (!spec.path("egress").isEmpty()) {
                types.add("Egress");
            }
        }
        for (String direction : List.of("ingress", "egress")) {
            for (JsonNode rule : spec.path(direction)) {
                portProtocols(rule.get("ports"));
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static void setIfAbsent(ObjectNode o, String field, Object value) {
        if (o.hasNonNull(field) && !(o.get(field).isTextual() && o.get(field).asText().isEmpty()
                && !(value instanceof String s && s.isEmpty()))) {
            return;
        }
        if (value instanceof String s) {
            o.put(field, s);
        } else if (value instanceof Integer i) {
            o.put(field, i);
        } else if (value instanceof Boolean b) {
            o.put(field, b);
        } else {
            throw new IllegalArgumentException("unsupported default " + value);
        }
    }

    private static void setIfZero(ObjectNode o, String field, int value) {
        if (o.path(field).asInt(0) == 0) {
            o.put(field, value);
        }
    }
}
