package io.jenkins.plugins.kubeplatform.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The checks of the Pod Security Standards as k8s.io/pod-security-admission v1.32 registers them
 * ({@code policy/check_*.go}), run on a pod's metadata and spec as JSON. Each check answers with nothing (allowed) or
 * its forbidden reason and detail, worded as the Go check composes them; {@link #evaluate} runs the checks of a level
 * at a policy version in the order of {@code policy/registry.go populate}: baseline checks sorted by check ID, then
 * restricted ones sorted by ID, a restricted level leaving out the baseline checks its restricted checks override
 * ({@code OverrideCheckIDs}).
 */
public final class PodSecurityChecks {

    /** The newest policy version v1.32 registers (the 1.32 sysctls): {@code latest} and anything newer mean this. */
    public static final int MAX_MINOR = 32;

    /** A failed check: {@code CheckResult.ForbiddenReason} and {@code ForbiddenDetail} (may be empty). */
    public record Violation(String reason, String detail) {

        /** {@code reason (detail)}, as {@code AggregateCheckResult.ForbiddenDetail} writes each one. */
        @Override
        public String toString() {
            return detail.isEmpty() ? reason : reason + " (" + detail + ")";
        }
    }

    private record Check(String id, boolean restricted, int since, String overrides,
                         BiFunction<Pod, Integer, Violation> run) {
    }

    /** The pod's metadata and spec. */
    private record Pod(JsonNode meta, JsonNode spec) {
    }

    private static final List<Check> CHECKS = List.of(
            new Check("appArmorProfile", false, 0, null, (p, v) -> appArmorProfile(p)),
            new Check("capabilities_baseline", false, 0, null, (p, v) -> capabilitiesBaseline(p)),
            new Check("hostNamespaces", false, 0, null, (p, v) -> hostNamespaces(p)),
            new Check("hostPathVolumes", false, 0, null, (p, v) -> hostPathVolumes(p)),
            new Check("hostPorts", false, 0, null, (p, v) -> hostPorts(p)),
            new Check("privileged", false, 0, null, (p, v) -> privileged(p)),
            new Check("procMount", false, 0, null, (p, v) -> procMount(p)),
            new Check("seLinuxOptions", false, 0, null, PodSecurityChecks::seLinuxOptions),
            new Check("seccompProfile_baseline", false, 0, null, PodSecurityChecks::seccompProfileBaseline),
            new Check("sysctls", false, 0, null, PodSecurityChecks::sysctls),
            new Check("windowsHostProcess", false, 0, null, (p, v) -> windowsHostProcess(p)),
            new Check("allowPrivilegeEscalation", true, 8, null, PodSecurityChecks::allowPrivilegeEscalation),
            new Check("capabilities_restricted", true, 22, "capabilities_baseline",
                    PodSecurityChecks::capabilitiesRestricted),
            new Check("restrictedVolumes", true, 0, "hostPathVolumes", (p, v) -> restrictedVolumes(p)),
            new Check("runAsNonRoot", true, 0, null, (p, v) -> runAsNonRoot(p)),
            new Check("runAsUser", true, 23, null, (p, v) -> runAsUser(p)),
            new Check("seccompProfile_restricted", true, 19, "seccompProfile_baseline",
                    PodSecurityChecks::seccompProfileRestricted));

    private PodSecurityChecks() {
    }

    /**
     * The violations of {@code restricted} (else baseline) at policy version v1.{@code minor} (already capped at
     * {@link #MAX_MINOR}) by a pod with this metadata and spec, in the order the real evaluator reports them.
     */
    public static List<Violation> evaluate(boolean restricted, int minor, JsonNode meta, JsonNode spec) {
        Pod pod = new Pod(meta, spec);
        Set<String> overridden = new TreeSet<>();
        if (restricted) {
            CHECKS.stream().filter(c -> c.restricted() && c.overrides() != null && minor >= c.since())
                    .forEach(c -> overridden.add(c.overrides()));
        }
        List<Violation> found = new ArrayList<>();
        for (Check c : CHECKS) {
            if ((c.restricted() && !restricted) || minor < c.since() || overridden.contains(c.id())) {
                continue;
            }
            Violation v = c.run().apply(pod, minor);
            if (v != null) {
                found.add(v);
            }
        }
        return found;
    }

    // ---- baseline ----------------------------------------------------------------------------------------------

    /** check_appArmorProfile.go {@code appArmorProfile_1_0}: the fields (v1.30+) and the beta annotations. */
    private static Violation appArmorProfile(Pod p) {
        List<String> setters = new ArrayList<>();
        TreeSet<String> values = new TreeSet<>();
        JsonNode podProfile = p.spec().path("securityContext").get("appArmorProfile");
        if (present(podProfile) && !allowedProfileType(podProfile.path("type").asText(""))) {
            setters.add("pod");
            values.add(podProfile.path("type").asText(""));
        }
        List<String> containers = new ArrayList<>();
        for (JsonNode c : containers(p.spec())) {
            JsonNode profile = c.path("securityContext").get("appArmorProfile");
            if (present(profile) && !allowedProfileType(profile.path("type").asText(""))) {
                containers.add(name(c));
                values.add(profile.path("type").asText(""));
            }
        }
        if (!containers.isEmpty()) {
            setters.add(pluralize("container", "containers", containers.size()) + " " + joinQuote(containers));
        }
        List<String> annotations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> a : fields(p.meta().path("annotations"))) {
            String value = a.getValue().asText("");
            if (a.getKey().startsWith("container.apparmor.security.beta.kubernetes.io/") && !value.isEmpty()
                    && !value.equals("runtime/default") && !value.startsWith("localhost/")) {
                annotations.add(a.getKey() + "=" + goQuote(value));
            }
        }
        List<String> valueList = new ArrayList<>(values);
        if (!annotations.isEmpty()) {
            annotations.sort(null);
            valueList.addAll(annotations);
            setters.add(pluralize("annotation", "annotations", annotations.size()));
        }
        if (setters.isEmpty()) {
            return null;
        }
        return new Violation(pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles",
                valueList.size()), String.join(" and ", setters) + " must not set AppArmor profile type to "
                + joinQuote(valueList));
    }

    private static boolean allowedProfileType(String type) {
        return type.equals("RuntimeDefault") || type.equals("Localhost");
    }

    private static final Set<String> DEFAULT_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
            "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");

    /** check_capabilities_baseline.go {@code capabilitiesBaseline_1_0}. */
    private static Violation capabilitiesBaseline(Pod p) {
        List<String> bad = new ArrayList<>();
        TreeSet<String> added = new TreeSet<>();
        for (JsonNode c : containers(p.spec())) {
            JsonNode caps = c.path("securityContext").get("capabilities");
            if (!present(caps)) {
                continue;
            }
            boolean valid = true;
            for (JsonNode cap : caps.path("add")) {
                if (!DEFAULT_CAPABILITIES.contains(cap.asText())) {
                    valid = false;
                    added.add(cap.asText());
                }
            }
            if (!valid) {
                bad.add(name(c));
            }
        }
        if (bad.isEmpty()) {
            return null;
        }
        return new Violation("non-default capabilities", pluralize("container", "containers", bad.size()) + " "
                + joinQuote(bad) + " must not include " + joinQuote(List.copyOf(added))
                + " in securityContext.capabilities.add");
    }

    /** check_hostNamespaces.go {@code hostNamespaces_1_0}. */
    private static Violation hostNamespaces(Pod p) {
        TreeSet<String> shared = new TreeSet<>();
        for (String field : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (p.spec().path(field).asBoolean(false)) {
                shared.add(field + "=true");
            }
        }
        return shared.isEmpty() ? null : new Violation("host namespaces", String.join(", ", shared));
    }

    /** check_hostPathVolumes.go {@code hostPathVolumes_1_0}. */
    private static Violation hostPathVolumes(Pod p) {
        List<String> volumes = new ArrayList<>();
        for (JsonNode v : p.spec().path("volumes")) {
            if (present(v.get("hostPath"))) {
                volumes.add(name(v));
            }
        }
        return volumes.isEmpty() ? null : new Violation("hostPath volumes",
                pluralize("volume", "volumes", volumes.size()) + " " + joinQuote(volumes));
    }

    /** check_hostPorts.go {@code hostPorts_1_0}. */
    private static Violation hostPorts(Pod p) {
        List<String> bad = new ArrayList<>();
        TreeSet<String> ports = new TreeSet<>();
        for (JsonNode c : containers(p.spec())) {
            boolean valid = true;
            for (JsonNode port : c.path("ports")) {
                if (port.path("hostPort").asInt(0) != 0) {
                    valid = false;
                    ports.add(Integer.toString(port.path("hostPort").asInt()));
                }
            }
            if (!valid) {
                bad.add(name(c));
            }
        }
        if (bad.isEmpty()) {
            return null;
        }
        return new Violation("hostPort", pluralize("container", "containers", bad.size()) + " " + joinQuote(bad)
                + " " + pluralize("uses", "use", bad.size()) + " " + pluralize("hostPort", "hostPorts", ports.size())
                + " " + String.join(", ", ports));
    }

    /** check_privileged.go {@code privileged_1_0}. */
    private static Violation privileged(Pod p) {
        List<String> bad = new ArrayList<>();
        for (JsonNode c : containers(p.spec())) {
            if (c.path("securityContext").path("privileged").asBoolean(false)) {
                bad.add(name(c));
            }
        }
        return bad.isEmpty() ? null : new Violation("privileged", pluralize("container", "containers", bad.size())
                + " " + joinQuote(bad) + " must not set securityContext.privileged=true");
    }

    /**
     * check_procMount.go {@code procMount_1_0} (the user-namespace relaxation is behind the alpha
     * UserNamespacesPodSecurityStandards gate, off by default in v1.32).
     */
    private static Violation procMount(Pod p) {
        List<String> bad = new ArrayList<>();
        TreeSet<String> types = new TreeSet<>();
        for (JsonNode c : containers(p.spec())) {
            JsonNode mount = c.path("securityContext").get("procMount");
            if (present(mount) && !mount.asText().equals("Default")) {
                bad.add(name(c));
                types.add(mount.asText());
            }
        }
        return bad.isEmpty() ? null : new Violation("procMount", pluralize("container", "containers", bad.size())
                + " " + joinQuote(bad) + " must not set securityContext.procMount to " + joinQuote(List.copyOf(types)));
    }

    /** check_seLinuxOptions.go: the allowed types of v1.0, plus {@code container_engine_t} from v1.31. */
    private static Violation seLinuxOptions(Pod p, int minor) {
        Set<String> allowed = minor >= 31
                ? Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t")
                : Set.of("", "container_t", "container_init_t", "container_kvm_t");
        TreeSet<String> badTypes = new TreeSet<>();
        boolean[] userRole = new boolean[2];
        Predicate<JsonNode> valid = opts -> {
            boolean ok = true;
            String type = opts.path("type").asText("");
            if (!allowed.contains(type)) {
                ok = false;
                badTypes.add(type);
            }
            if (!opts.path("user").asText("").isEmpty()) {
                ok = false;
                userRole[0] = true;
            }
            if (!opts.path("role").asText("").isEmpty()) {
                ok = false;
                userRole[1] = true;
            }
            return ok;
        };
        List<String> setters = new ArrayList<>();
        JsonNode podOptions = p.spec().path("securityContext").get("seLinuxOptions");
        if (present(podOptions) && !valid.test(podOptions)) {
            setters.add("pod");
        }
        List<String> bad = new ArrayList<>();
        for (JsonNode c : containers(p.spec())) {
            JsonNode opts = c.path("securityContext").get("seLinuxOptions");
            if (present(opts) && !valid.test(opts)) {
                bad.add(name(c));
            }
        }
        if (!bad.isEmpty()) {
            setters.add(pluralize("container", "containers", bad.size()) + " " + joinQuote(bad));
        }
        if (setters.isEmpty()) {
            return null;
        }
        List<String> data = new ArrayList<>();
        if (!badTypes.isEmpty()) {
            data.add(pluralize("type", "types", badTypes.size()) + " " + joinQuote(List.copyOf(badTypes)));
        }
        if (userRole[0]) {
            data.add("user may not be set");
        }
        if (userRole[1]) {
            data.add("role may not be set");
        }
        return new Violation("seLinuxOptions", String.join(" and ", setters)
                + " set forbidden securityContext.seLinuxOptions: " + String.join("; ", data));
    }

    /**
     * check_seccompProfile_baseline.go: below v1.19 {@code seccompProfileBaseline_1_0} on the alpha annotations,
     * from v1.19 {@code seccompProfileBaseline_1_19} on the fields (only an explicit type other than RuntimeDefault or
     * Localhost is refused).
     */
    private static Violation seccompProfileBaseline(Pod p, int minor) {
        if (minor < 19) {
            TreeSet<String> forbidden = new TreeSet<>();
            JsonNode annotations = p.meta().path("annotations");
            String podKey = "seccomp.security.alpha.kubernetes.io/pod";
            if (annotations.has(podKey) && !validSeccompAnnotation(annotations.path(podKey).asText(""))) {
                forbidden.add(podKey + "=" + goQuote(annotations.path(podKey).asText("")));
            }
            for (JsonNode c : containers(p.spec())) {
                String key = "container.seccomp.security.alpha.kubernetes.io/" + name(c);
                if (annotations.has(key) && !validSeccompAnnotation(annotations.path(key).asText(""))) {
                    forbidden.add(key + "=" + goQuote(annotations.path(key).asText("")));
                }
            }
            return forbidden.isEmpty() ? null : new Violation("seccompProfile", "forbidden "
                    + pluralize("annotation", "annotations", forbidden.size()) + " " + String.join(", ", forbidden));
        }
        List<String> setters = new ArrayList<>();
        TreeSet<String> values = new TreeSet<>();
        JsonNode podProfile = p.spec().path("securityContext").get("seccompProfile");
        if (present(podProfile) && !validSeccomp(podProfile)) {
            setters.add("pod");
            values.add(podProfile.path("type").asText(""));
        }
        List<String> bad = new ArrayList<>();
        for (JsonNode c : containers(p.spec())) {
            JsonNode profile = c.path("securityContext").get("seccompProfile");
            if (present(profile) && !validSeccomp(profile)) {
                bad.add(name(c));
                values.add(profile.path("type").asText(""));
            }
        }
        if (!bad.isEmpty()) {
            setters.add(pluralize("container", "containers", bad.size()) + " " + joinQuote(bad));
        }
        return setters.isEmpty() ? null : new Violation("seccompProfile", String.join(" and ", setters)
                + " must not set securityContext.seccompProfile.type to " + joinQuote(List.copyOf(values)));
    }

    private static boolean validSeccompAnnotation(String value) {
        return value.equals("runtime/default") || value.equals("docker/default") || value.startsWith("localhost/");
    }

    private static boolean validSeccomp(JsonNode profile) {
        String type = profile.path("type").asText("");
        return type.equals("RuntimeDefault") || type.equals("Localhost");
    }

    private static final List<String> SYSCTLS_1_0 = List.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start");

    /** check_sysctls.go: the safe set of v1.0, widened at v1.27, v1.29 and v1.32. */
    private static Violation sysctls(Pod p, int minor) {
        List<String> safe = new ArrayList<>(SYSCTLS_1_0);
        if (minor >= 27) {
            safe.add("net.ipv4.ip_local_reserved_ports");
        }
        if (minor >= 29) {
            safe.addAll(List.of("net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
                    "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"));
        }
        if (minor >= 32) {
            safe.addAll(List.of("net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"));
        }
        List<String> forbidden = new ArrayList<>();
        for (JsonNode s : p.spec().path("securityContext").path("sysctls")) {
            if (!safe.contains(s.path("name").asText(""))) {
                forbidden.add(s.path("name").asText(""));
            }
        }
        return forbidden.isEmpty() ? null : new Violation("forbidden sysctls", String.join(", ", forbidden));
    }

    /** check_windowsHostProcess.go {@code windowsHostProcess_1_0}. */
    private static Violation windowsHostProcess(Pod p) {
        List<String> bad = new ArrayList<>();
        for (JsonNode c : containers(p.spec())) {
            if (c.path("securityContext").path("windowsOptions").path("hostProcess").asBoolean(false)) {
                bad.add(name(c));
            }
        }
        List<String> setters = new ArrayList<>();
        if (p.spec().path("securityContext").path("windowsOptions").path("hostProcess").asBoolean(false)) {
            setters.add("pod");
        }
        if (!bad.isEmpty()) {
            setters.add(pluralize("container", "containers", bad.size()) + " " + joinQuote(bad));
        }
        return setters.isEmpty() ? null : new Violation("hostProcess", String.join(" and ", setters)
                + " must not set securityContext.windowsOptions.hostProcess=true");
    }

    // ---- restricted --------------------------------------------------------------------------------------------

    /** The v1.25 versions of three restricted checks admit a pod whose {@code spec.os.name} is windows. */
    private static boolean windowsFrom25(Pod p, int minor) {
        return minor >= 25 && p.spec().path("os").path("name").asText("").equals("windows");
    }

    /** check_allowPrivilegeEscalation.go {@code allowPrivilegeEscalation_1_8}, {@code _1_25}. */
    private static Violation allowPrivilegeEscalation(Pod p, int minor) {
        if (windowsFrom25(p, minor)) {
            return null;
        }
        List<String> bad = new ArrayList<>();
        for (JsonNode c : containers(p.spec())) {
            JsonNode ape = c.path("securityContext").get("allowPrivilegeEscalation");
            if (!present(ape) || ape.asBoolean(true)) {
                bad.add(name(c));
            }
        }
        return bad.isEmpty() ? null : new Violation("allowPrivilegeEscalation != false",
                pluralize("container", "containers", bad.size()) + " " + joinQuote(bad)
                        + " must set securityContext.allowPrivilegeEscalation=false");
    }

    /** check_capabilities_restricted.go {@code capabilitiesRestricted_1_22}, {@code _1_25}. */
    private static Violation capabilitiesRestricted(Pod p, int minor) {
        if (windowsFrom25(p, minor)) {
            return null;
        }
        List<String> missingDropAll = new ArrayList<>();
        List<String> addingForbidden = new ArrayList<>();
        TreeSet<String> forbidden = new TreeSet<>();
        for (JsonNode c : containers(p.spec())) {
            JsonNode caps = c.path("securityContext").get("capabilities");
            if (!present(c.get("securityContext")) || !present(caps)) {
                missingDropAll.add(name(c));
                continue;
            }
            boolean droppedAll = false;
            for (JsonNode d : caps.path("drop")) {
                droppedAll |= d.asText().equals("ALL");
            }
            if (!droppedAll) {
                missingDropAll.add(name(c));
            }
            boolean addedForbidden = false;
            for (JsonNode a : caps.path("add")) {
                if (!a.asText().equals("NET_BIND_SERVICE")) {
                    addedForbidden = true;
                    forbidden.add(a.asText());
                }
            }
            if (addedForbidden) {
                addingForbidden.add(name(c));
            }
        }
        List<String> details = new ArrayList<>();
        if (!missingDropAll.isEmpty()) {
            details.add(pluralize("container", "containers", missingDropAll.size()) + " " + joinQuote(missingDropAll)
                    + " must set securityContext.capabilities.drop=[\"ALL\"]");
        }
        if (!addingForbidden.isEmpty()) {
            details.add(pluralize("container", "containers", addingForbidden.size()) + " "
                    + joinQuote(addingForbidden) + " must not include " + joinQuote(List.copyOf(forbidden))
                    + " in securityContext.capabilities.add");
        }
        return details.isEmpty() ? null : new Violation("unrestricted capabilities", String.join("; ", details));
    }

    private static final List<String> ALLOWED_VOLUME_SOURCES = List.of("configMap", "csi", "downwardAPI", "emptyDir",
            "ephemeral", "persistentVolumeClaim", "projected", "secret");
    private static final List<String> RESTRICTED_VOLUME_SOURCES = List.of("hostPath", "gcePersistentDisk",
            "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs", "rbd", "flexVolume", "cinder", "cephfs",
            "flocker", "fc", "azureFile", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk",
            "portworxVolume", "scaleIO", "storageos");

    /** check_restrictedVolumes.go {@code restrictedVolumes_1_0} (v1.32 has no {@code image} volume allowance). */
    private static Violation restrictedVolumes(Pod p) {
        List<String> bad = new ArrayList<>();
        TreeSet<String> types = new TreeSet<>();
        for (JsonNode v : p.spec().path("volumes")) {
            if (ALLOWED_VOLUME_SOURCES.stream().anyMatch(s -> present(v.get(s)))) {
                continue;
            }
            bad.add(name(v));
            types.add(RESTRICTED_VOLUME_SOURCES.stream().filter(s -> present(v.get(s))).findFirst().orElse("unknown"));
        }
        if (bad.isEmpty()) {
            return null;
        }
        return new Violation("restricted volume types", pluralize("volume", "volumes", bad.size()) + " "
                + joinQuote(bad) + " " + pluralize("uses", "use", bad.size()) + " "
                + pluralize("restricted volume type", "restricted volume types", types.size()) + " "
                + joinQuote(List.copyOf(types)));
    }

    /** check_runAsNonRoot.go {@code runAsNonRoot_1_0}. */
    private static Violation runAsNonRoot(Pod p) {
        List<String> setters = new ArrayList<>();
        boolean podNonRoot = false;
        JsonNode podValue = p.spec().path("securityContext").get("runAsNonRoot");
        if (present(podValue)) {
            if (!podValue.asBoolean()) {
                setters.add("pod");
            } else {
                podNonRoot = true;
            }
        }
        List<String> explicit = new ArrayList<>();
        List<String> implicit = new ArrayList<>();
        for (JsonNode c : containers(p.spec())) {
            JsonNode value = c.path("securityContext").get("runAsNonRoot");
            if (present(value)) {
                if (!value.asBoolean()) {
                    explicit.add(name(c));
                }
            } else if (!podNonRoot) {
                implicit.add(name(c));
            }
        }
        if (!explicit.isEmpty()) {
            setters.add(pluralize("container", "containers", explicit.size()) + " " + joinQuote(explicit));
        }
        if (!setters.isEmpty()) {
            return new Violation("runAsNonRoot != true", String.join(" and ", setters)
                    + " must not set securityContext.runAsNonRoot=false");
        }
        return implicit.isEmpty() ? null : new Violation("runAsNonRoot != true", "pod or "
                + pluralize("container", "containers", implicit.size()) + " " + joinQuote(implicit)
                + " must set securityContext.runAsNonRoot=true");
    }

    /** check_runAsUser.go {@code runAsUser_1_23}. */
    private static Violation runAsUser(Pod p) {
        List<String> setters = new ArrayList<>();
        JsonNode podUser = p.spec().path("securityContext").get("runAsUser");
        if (present(podUser) && podUser.asLong(-1) == 0) {
            setters.add("pod");
        }
        List<String> bad = new ArrayList<>();
        for (JsonNode c : containers(p.spec())) {
            JsonNode user = c.path("securityContext").get("runAsUser");
            if (present(user) && user.asLong(-1) == 0) {
                bad.add(name(c));
            }
        }
        if (!bad.isEmpty()) {
            setters.add(pluralize("container", "containers", bad.size()) + " " + joinQuote(bad));
        }
        return setters.isEmpty() ? null : new Violation("runAsUser=0", String.join(" and ", setters)
                + " must not set runAsUser=0");
    }

    /** check_seccompProfile_restricted.go {@code seccompProfileRestricted_1_19}, {@code _1_25}. */
    private static Violation seccompProfileRestricted(Pod p, int minor) {
        if (windowsFrom25(p, minor)) {
            return null;
        }
        List<String> setters = new ArrayList<>();
        TreeSet<String> values = new TreeSet<>();
        boolean podSet = false;
        JsonNode podProfile = p.spec().path("securityContext").get("seccompProfile");
        if (present(podProfile)) {
            if (!validSeccomp(podProfile)) {
                setters.add("pod");
                values.add(podProfile.path("type").asText(""));
            } else {
                podSet = true;
            }
        }
        List<String> explicit = new ArrayList<>();
        List<String> implicit = new ArrayList<>();
        for (JsonNode c : containers(p.spec())) {
            JsonNode profile = c.path("securityContext").get("seccompProfile");
            if (present(profile)) {
                if (!validSeccomp(profile)) {
                    explicit.add(name(c));
                    values.add(profile.path("type").asText(""));
                }
            } else if (!podSet) {
                implicit.add(name(c));
            }
        }
        if (!explicit.isEmpty()) {
            setters.add(pluralize("container", "containers", explicit.size()) + " " + joinQuote(explicit));
        }
        if (!setters.isEmpty()) {
            return new Violation("seccompProfile", String.join(" and ", setters)
                    + " must not set securityContext.seccompProfile.type to " + joinQuote(List.copyOf(values)));
        }
        return implicit.isEmpty() ? null : new Violation("seccompProfile", "pod or "
                + pluralize("container", "containers", implicit.size()) + " " + joinQuote(implicit)
                + " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"");
    }

    // ---- helpers (policy/helpers.go, policy/visitor.go) --------------------------------------------------------

    /** {@code visitContainers}: init containers, containers, then ephemeral containers. */
    private static List<JsonNode> containers(JsonNode spec) {
        List<JsonNode> all = new ArrayList<>();
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            spec.path(list).forEach(all::add);
        }
        return all;
    }

    /** A Go pointer or struct field that is set: present and not JSON null. */
    private static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }

    private static String name(JsonNode item) {
        return item.path("name").asText("");
    }

    private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode object) {
        Iterator<Map.Entry<String, JsonNode>> it = object.fields();
        return () -> it;
    }

    static String pluralize(String singular, String plural, int count) {
        return count == 1 ? singular : plural;
    }

    static String joinQuote(List<String> items) {
        return items.isEmpty() ? "" : "\"" + String.join("\", \"", items) + "\"";
    }

    /** Go's {@code %q} of a string: quoted, with backslash, quote and control characters escaped. */
    static String goQuote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (ch < 0x20 || ch == 0x7f) {
                        b.append(String.format("\\x%02x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
