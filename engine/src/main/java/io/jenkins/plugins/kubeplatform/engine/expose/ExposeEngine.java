package io.jenkins.plugins.kubeplatform.engine.expose;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.ChangePlan;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import io.jenkins.plugins.kubeplatform.engine.kube.AccessCheck;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.Conflicts;
import io.jenkins.plugins.kubeplatform.engine.kube.SharedObjects;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * exposeApp (EXP-1..EXP-9): claim a conflict-free host, ensure the Service, create or update the Ingress or
 * HTTPRoute, wait until it is admitted, write the nginx server block in nginx mode, record the host, optionally
 * verify. Re-running with the same input writes nothing. The entry point for the Jenkins step, the CLI and the demo.
 */
public final class ExposeEngine {

    /** Variants tried with onConflict next-free before giving up. */
    static final int MAX_VARIANTS = HostAllocator.MAX_VARIANTS;
    private static final Duration VERIFY_WINDOW = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final ExposeSettings settings;
    private final StateStore<DomainRegistry> registry;
    private final Clock clock;
    private final Progress progress;
    private final ApiRetry retry;
    private final HostClaims claims;
    private final HostAllocator allocator;
    private final RouteDrivers drivers;

    /**
     * @param settings the {@code domains} settings; validated here, so a bad setting fails before anything changes
     */
    public ExposeEngine(KubernetesClient client, ExposeSettings settings, StateStore<DomainRegistry> registry,
            Clock clock, Progress progress, ApiRetry retry) {
        this.client = client;
        this.settings = settings.validated();
        this.registry = registry;
        this.clock = clock;
        this.progress = progress;
        this.retry = retry;
        this.claims = new HostClaims(client, this.settings.claimNamespace(), retry);
        this.allocator = new HostAllocator(this.settings, claims, clock, progress);
        this.drivers = new RouteDrivers(client, this.settings, retry, progress);
    }

    public ExposeSettings settings() {
        return settings;
    }

    public HostClaims claims() {
        return claims;
    }

    /** Generated host for an app without touching the cluster (what {@code expose} would try first). */
    public String previewHost(String namespace, String app) {
        return settings.domainTemplate().host(app, 1, namespace, settings.suffix());
    }

    public ExposeResult expose(ExposeRequest request) {
        ExposeRequest.Validated v = request.validate(settings);
        if (v.host().isEmpty()) {
            previewHost(v.owner().namespace(), v.owner().app()); // suffix/template room problems are input errors
        }
        Optional<NginxSites> nginx = settings.nginxMode().map(n -> new NginxSites(n, progress));
        progress.plan("expose " + v.owner() + ": host " + v.host().orElse(previewHost(v.owner().namespace(),
                v.owner().app())) + (v.host().isPresent() ? "" : " (generated)") + ", Service " + v.service() + ":"
                + v.port() + ", route " + v.route().id() + (nginx.isPresent() ? ", nginx block in "
                + nginx.get().directory() : "") + (request.verify() ? ", then verify" : ""));
        List<String> changes = new ArrayList<>();

        AccessCheck.require(client, retry, "exposeApp", permissions(v, nginx.isPresent()));
        List<RouteRef> routes = observeRoutes(v);
        HostClaim claim = claimHost(v, request.requestedBy(), routes, changes);
        String host = claim.host();

        Service service = ensureService(v, changes);
        String routeName = v.route().hasObject() ? v.service() : "";
        String upstream = v.upstream().orElse(null);
        Optional<String> address = drivers.of(v.route()).ensure(routeSpec(v, host, upstream), changes);

        Optional<String> block = Optional.empty();
        List<String> servers = List.of();
        boolean nginxHttps = false;
        if (nginx.isPresent()) {
            NginxSites sites = nginx.get();
            servers = upstream != null ? List.of(upstream) : ServiceBackends.servers(service, v.port(),
                    ServiceBackends.slicesOf(client, retry, v.owner().namespace(), v.service()),
                    sites.settings().fallsBackToClusterIp());
            Optional<NginxServerBlock.Tls> tls = NginxBlocks.tls(client, retry, sites, host, v.owner().namespace(),
                    tlsSecretName(v), progress);
            NginxServerBlock serverBlock = NginxBlocks.block(sites, host, v.owner(), claim.requestedBy(), servers, tls);
            nginxHttps = serverBlock.servesHttps();
            List<String> stale = staleHostsOf(v.owner(), host);
            List<String> written = sites.apply(List.of(serverBlock), stale);
            written.forEach(h -> changes.add("nginx server block for " + h + (h.equals(host) ? " written" : " removed")));
            block = Optional.of(sites.directory().resolve(serverBlock.fileName()).toString());
            address = Optional.of(listenAddress(sites.listen()));
            if (servers.isEmpty()) {
                progress.warn("Service " + v.owner().namespace() + "/" + v.service() + " has no ready endpoint for port "
                        + v.port() + " yet: nginx answers 503 for " + host + " until the sync sees one");
            }
        }

        record(v, claim, routeName, upstream, request.requestedBy(), servers, changes);

        Optional<Integer> verifyStatus = request.verify()
                ? Optional.of(verify(host, address, nginx.map(NginxSites::listen)))
                : Optional.empty();
        boolean tls = settings.tls() != null && v.route().hasObject() || nginxHttps;
        ExposeResult result = new ExposeResult(host, (tls ? "https://" : "http://") + host + "/", v.owner(),
                v.owner().namespace(), v.service(), v.route().id(), routeName, address, block, verifyStatus,
                List.copyOf(changes));
        progress.step(changes.isEmpty() ? "nothing to change: " + result.url() + " is served for " + v.owner()
                : result.url() + " is served for " + v.owner());
        return result;
    }

    /**
     * The hosts every Ingress and HTTPRoute routes; refuses an HTTPRoute on a cluster that does not serve the Gateway
     * API (its list answered 404), before anything is written.
     */
    private List<RouteRef> observeRoutes(ExposeRequest.Validated v) {
        RouteHosts.Observation observed = RouteHosts.observeAll(client, retry);
        if (v.route() == RouteKind.HTTPROUTE && !observed.gatewayApiServed()) {
            throw new InvalidInputException("route", "'httproute' needs the Gateway API (HTTPRoute, "
                    + "gateway.networking.k8s.io/v1), which this cluster does not serve: install the Gateway API CRDs "
                    + "and a Gateway controller, or use route 'ingress'");
        }
        return observed.routes();
    }

    /**
     * What {@link #expose} would do, decided by the same steps (host allocation, Service, route, registry entry)
     * without writing anything: the claim, Service and route writes, the nginx block and the domain registry
     * changes. With {@code sendDryRun} the cluster writes are also sent with {@code dryRun=All}.
     */
    public ChangePlan planExpose(ExposeRequest request, boolean sendDryRun) {
        ExposeRequest.Validated v = request.validate(settings);
        if (v.host().isEmpty()) {
            previewHost(v.owner().namespace(), v.owner().app());
        }
        ChangePlan.Builder plan = new ChangePlan.Builder();
        String ns = v.owner().namespace();
        String upstream = v.upstream().orElse(null);
        List<String> claimed = new ArrayList<>();
        HostClaim claim = allocator.preview(v.owner(), v.host(), v.onConflict(), request.requestedBy(), upstream,
                observeRoutes(v), claimed);
        String host = claim.host();
        planClaim(plan, claim, !claimed.isEmpty(), v, sendDryRun);
        ObjectStep<Service> service = serviceStep(v);
        plan.object(service.action().equals("add port") ? "update" : service.action(), service.object(),
                "port " + v.port() + " -> " + v.targetPort() + (service.action().equals("add port")
                        ? " added beside the ports of " + SharedObjects.ownerStep(service.object().getMetadata())
                        .orElse("another step") : ""));
        if (sendDryRun) {
            service.send(c -> client.services().inNamespace(ns).resource(c).dryRun().create(),
                    u -> client.services().inNamespace(ns).resource(u).dryRun().update());
        }
        String routeName = v.route().hasObject() ? v.service() : "";
        drivers.of(v.route()).plan(plan, routeSpec(v, host, upstream), sendDryRun);
        List<String> stale = staleHostsOf(v.owner(), host);
        List<String> servers = List.of();
        if (settings.nginxMode().isPresent()) {
            NginxSites sites = new NginxSites(settings.nginxMode().get(), Progress.silent());
            servers = upstream != null ? List.of(upstream) : ServiceBackends.servers(service.object(), v.port(),
                    ServiceBackends.slicesOf(client, retry, ns, v.service()), sites.settings().fallsBackToClusterIp());
            plan.state("nginx", "write", host, "server block in " + sites.directory() + " to "
                    + (servers.isEmpty() ? "no ready endpoint yet (503)" : String.join(", ", servers)) + ", then reload");
            stale.forEach(old -> plan.state("nginx", "remove", old, "server block of the previous host"));
        }
        planStaleHostReleases(plan, stale, v, sendDryRun);
        DomainRegistry.Entry entry = entry(v, host, routeName, upstream, request.requestedBy(), servers);
        DomainRegistry.Entry recorded = registry.read().hosts().get(host);
        if (!entry.sameRoute(recorded)) {
            plan.state(DomainRegistry.KIND, recorded == null ? "add" : "update", host, v.owner() + " -> Service "
                    + ns + "/" + v.service() + ":" + v.port() + (routeName.isEmpty() ? "" : ", " + v.route().id() + " "
                    + routeName));
        }
        if (request.verify()) {
            plan.note("verify http://" + host + "/ through the route's address");
        }
        return plan.build();
    }

    /** The host claim step of a plan: a new claim to create, or the owner's existing one left as it is. */
    private void planClaim(ChangePlan.Builder plan, HostClaim claim, boolean newClaim, ExposeRequest.Validated v,
            boolean sendDryRun) {
        if (!newClaim) {
            plan.object("unchanged", "ConfigMap", "", claims.namespace(), claim.host(),
                    "host already claimed for " + v.owner());
            return;
        }
        plan.object("create", claims.desired(claim), "claim host " + claim.host() + " for " + v.owner());
        if (sendDryRun) {
            claims.claimDryRun(claim);
        }
    }

    /** The owner's previous hosts: their claims released (when still the owner's) and registry entries removed. */
    private void planStaleHostReleases(ChangePlan.Builder plan, List<String> stale, ExposeRequest.Validated v,
            boolean sendDryRun) {
        for (String old : stale) {
            if (claims.find(old).filter(c -> c.owner().equals(v.owner())).isPresent()) {
                plan.object("delete", "ConfigMap", "", claims.namespace(), old, "release previous host " + old);
                if (sendDryRun) {
                    claims.releaseDryRun(old);
                }
            }
            plan.state(DomainRegistry.KIND, "remove", old, "previous host of " + v.owner());
        }
    }

    /**
     * Every permission an expose of {@code v} may use (docs/rbac.yaml, roles kubeplatform-exposeApp*): cluster-wide
     * route lists for conflict-free hosts, the host claim in the claim namespace, the app's Service, its route and
     * the watch until it is admitted, what admission diagnostics read, and in nginx mode endpoints and TLS Secrets.
     */
    List<AccessCheck.Permission> permissions(ExposeRequest.Validated v, boolean nginxMode) {
        String ns = v.owner().namespace();
        List<AccessCheck.Permission> needed = new ArrayList<>(List.of(
                AccessCheck.Permission.cluster("list", "networking.k8s.io", "ingresses"),
                AccessCheck.Permission.cluster("list", "gateway.networking.k8s.io", "httproutes"),
                AccessCheck.Permission.in(settings.claimNamespace(), "get", "", "configmaps"),
                AccessCheck.Permission.in(settings.claimNamespace(), "create", "", "configmaps"),
                AccessCheck.Permission.in(ns, "get", "", "services"),
                AccessCheck.Permission.in(ns, "create", "", "services"),
                AccessCheck.Permission.in(ns, "update", "", "services")));
        needed.addAll(drivers.of(v.route()).permissions(ns));
        if (nginxMode) {
            needed.add(AccessCheck.Permission.in(ns, "list", "discovery.k8s.io", "endpointslices"));
            needed.add(AccessCheck.Permission.in(ns, "get", "", "secrets"));
        }
        return needed;
    }

    /** What a release of one app removes: the route objects exposeApp created for it and every host it holds. */
    private record ReleaseDecision(Owner owner, List<CreatedRoute> routes, List<String> hosts) {
    }

    /**
     * Decides a release: every kind's driver names the objects exposeApp created for the owner (by labels and the
     * route names the registry recorded for it), whatever route kind the settings name now; routes made by other
     * tools and other apps' routes stay. The hosts are the registry's and those routed for the owner.
     */
    private ReleaseDecision releaseDecision(String namespace, String app) {
        Owner owner = new Owner(Require.dnsLabel("namespace", namespace),
                Require.nonBlank("app", app));
        List<DomainRegistry.Entry> recorded = registry.read().hosts().values().stream()
                .filter(e -> e.namespace().equals(owner.namespace()) && e.app().equals(owner.app())).toList();
        List<CreatedRoute> ours = new ArrayList<>();
        for (RouteDriver driver : drivers.all()) {
            List<String> names = recorded.stream()
                    .filter(e -> RouteKind.fromId(e.route()).filter(driver.kind()::equals).isPresent())
                    .map(DomainRegistry.Entry::routeName).filter(n -> n != null && !n.isEmpty()).distinct().toList();
            ours.addAll(driver.createdFor(owner, names));
        }
        List<String> hosts = new ArrayList<>(recorded.stream().map(DomainRegistry.Entry::host).toList());
        RouteHosts.observe(client, retry).stream()
                .filter(r -> r.owner().filter(owner::equals).isPresent())
                .map(RouteRef::host).filter(h -> !hosts.contains(h)).forEach(hosts::add);
        return new ReleaseDecision(owner, ours, hosts);
    }

    /** Removes the owner's route, nginx block, claim and registry entry. The Service stays (others may use it). */
    public List<String> release(String namespace, String app) {
        ReleaseDecision d = releaseDecision(namespace, app);
        List<String> changes = new ArrayList<>();
        for (CreatedRoute r : d.routes()) {
            changes.add(drivers.of(r.kind()).delete(r, false) ? "deleted " + r.describe()
                    : "left " + r.describe() + ": another object took its name after the release read it");
        }
        List<String> hosts = d.hosts();
        settings.nginxMode().ifPresent(n -> new NginxSites(n, progress).apply(List.of(), hosts)
                .forEach(h -> changes.add("nginx server block for " + h + " removed")));
        for (String host : hosts) {
            if (claims.release(host, d.owner())) {
                changes.add("released host " + host);
            }
        }
        registry.update(reg -> {
            DomainRegistry next = reg;
            for (String host : hosts) {
                next = next.without(host);
            }
            return next.equals(reg) ? Update.unchanged(reg, null) : Update.to(next, null);
        });
        changes.forEach(progress::step);
        return changes;
    }

    /**
     * What {@link #release} would remove, decided by the same code, changing nothing: the routes exposeApp created,
     * the nginx blocks, the host claims and the domain registry entries. With {@code sendDryRun} the route and claim
     * deletes are also sent with {@code dryRun=All}.
     */
    public ChangePlan planRelease(String namespace, String app, boolean sendDryRun) {
        ReleaseDecision d = releaseDecision(namespace, app);
        ChangePlan.Builder plan = new ChangePlan.Builder();
        for (CreatedRoute r : d.routes()) {
            plan.object("delete", r.kind().objectKind(), "", r.namespace(), r.name(),
                    r.hosts().isEmpty() ? "route without a host" : "route of " + String.join(", ", r.hosts()));
            if (sendDryRun) {
                drivers.of(r.kind()).delete(r, true);
            }
        }
        if (settings.nginxMode().isPresent()) {
            NginxSites sites = new NginxSites(settings.nginxMode().get(), Progress.silent());
            d.hosts().forEach(h -> plan.state("nginx", "remove", h, "server block in " + sites.directory()
                    + " (if present), then reload"));
        }
        Map<String, DomainRegistry.Entry> recorded = registry.read().hosts();
        for (String host : d.hosts()) {
            if (claims.find(host).filter(c -> c.owner().equals(d.owner())).isPresent()) {
                plan.object("delete", "ConfigMap", "", claims.namespace(), host, "release host " + host);
                if (sendDryRun) {
                    claims.releaseDryRun(host);
                }
            }
            if (recorded.containsKey(host)) {
                plan.state(DomainRegistry.KIND, "remove", host, "host of " + d.owner());
            }
        }
        if (d.routes().isEmpty() && d.hosts().isEmpty()) {
            plan.note("nothing to release for " + d.owner());
        }
        plan.note("the Service stays (other steps may use it)");
        return plan.build();
    }

    private HostClaim claimHost(ExposeRequest.Validated v, String requestedBy, List<RouteRef> routes,
            List<String> changes) {
        return allocator.claim(v.owner(), v.host(), v.onConflict(), requestedBy, v.upstream().orElse(null), routes,
                changes);
    }

    /** Reads the Service and decides: create it, add the port to ours, or keep it; a foreign one without the port fails. */
    private ObjectStep<Service> serviceStep(ExposeRequest.Validated v) {
        String ns = v.owner().namespace();
        Service live = retry.call("read Service " + ns + "/" + v.service(),
                () -> client.services().inNamespace(ns).withName(v.service()).get());
        if (live == null) {
            return new ObjectStep<>("create", RouteObjects.service(ns, v.service(), v.port(), v.targetPort()));
        }
        List<ServicePort> ports = live.getSpec() == null || live.getSpec().getPorts() == null ? List.of()
                : live.getSpec().getPorts();
        if (ports.stream().anyMatch(p -> Objects.equals(p.getPort(), v.port()))) {
            return new ObjectStep<>("unchanged", live);
        }
        boolean ours = live.getMetadata().getLabels() != null
                && ExposeLabels.MANAGER.equals(live.getMetadata().getLabels().get(ExposeLabels.MANAGED_BY));
        if (!ours) {
            throw new OperationFailedException("Service " + ns + "/" + v.service() + " exists without port "
                    + v.port() + " (it has " + ports.stream().map(p -> String.valueOf(p.getPort())).toList()
                    + ") and is not managed by kubernetes-platform-steps; expose one of its ports or name another service");
        }
        if (SharedObjects.ownerStep(live.getMetadata()).filter(ExposeLabels.STEP::equals).isPresent()) {
            // exposeApp's own Service: the app's port changed
            Service desired = RouteObjects.service(ns, v.service(), v.port(), v.targetPort());
            live.getSpec().setPorts(desired.getSpec().getPorts());
            return new ObjectStep<>("update", live);
        }
        // another step's Service (stickyIpDeploy's): add the port beside its ports and record it as added, so the
        // owner keeps it when it restores its own
        List<ServicePort> withPort = new ArrayList<>(ports);
        withPort.add(RouteObjects.addedPort(v.port(), v.targetPort()));
        live.getSpec().setPorts(withPort);
        Map<Integer, String> added = SharedObjects.addedPorts(live.getMetadata());
        added.put(v.port(), ExposeLabels.STEP);
        Map<String, String> annotations = new LinkedHashMap<>(live.getMetadata().getAnnotations() == null
                ? Map.of() : live.getMetadata().getAnnotations());
        annotations.put(SharedObjects.ADDED_PORTS, SharedObjects.addedPortsValue(added));
        live.getMetadata().setAnnotations(annotations);
        return new ObjectStep<>("add port", live);
    }

    private Service ensureService(ExposeRequest.Validated v, List<String> changes) {
        String ns = v.owner().namespace();
        return Conflicts.retry("ensure Service " + ns + "/" + v.service(), 5, () -> {
            ObjectStep<Service> step = serviceStep(v);
            if (step.action().equals("create")) {
                Service created = retry.call("create Service " + ns + "/" + v.service(), () -> client.services()
                        .inNamespace(ns).resource(step.object()).create());
                changes.add("created Service " + ns + "/" + v.service() + " (port " + v.port() + " -> " + v.targetPort() + ")");
                progress.step("created Service " + ns + "/" + v.service());
                return created;
            }
            if (step.action().equals("add port")) {
                String ownerName = SharedObjects.ownerStep(step.object().getMetadata()).orElse("another step");
                Service updated = retry.call("update Service " + ns + "/" + v.service(),
                        () -> client.services().inNamespace(ns).resource(step.object()).update());
                changes.add("added port " + v.port() + " -> " + v.targetPort() + " to Service " + ns + "/"
                        + v.service() + " (owned by " + ownerName + ", its ports kept)");
                progress.step("added port " + v.port() + " to Service " + ns + "/" + v.service() + " (owned by "
                        + ownerName + ")");
                return updated;
            }
            if (step.action().equals("update")) {
                Service updated = retry.call("update Service " + ns + "/" + v.service(),
                        () -> client.services().inNamespace(ns).resource(step.object()).update());
                changes.add("updated Service " + ns + "/" + v.service() + " to port " + v.port());
                progress.step("updated Service " + ns + "/" + v.service() + " to port " + v.port());
                return updated;
            }
            return step.object();
        });
    }

    private static RouteObjects.RouteSpec routeSpec(ExposeRequest.Validated v, String host, String upstream) {
        return new RouteObjects.RouteSpec(v.owner().namespace(), v.service(), host, v.service(), v.port(), v.owner(),
                upstream);
    }

    /** The Secret the route names for TLS (domains.tls), which nginx serves too once it exists. */
    private Optional<String> tlsSecretName(ExposeRequest.Validated v) {
        ExposeSettings.Tls tls = settings.tls();
        if (tls == null) {
            return Optional.empty();
        }
        return Optional.of(tls.secretName() != null ? tls.secretName() : v.service() + "-tls");
    }

    /** Hosts this owner had before in the registry, other than {@code host}: their nginx blocks and claims go. */
    private List<String> staleHostsOf(Owner owner, String host) {
        return registry.read().hosts().values().stream()
                .filter(e -> e.namespace().equals(owner.namespace()) && e.app().equals(owner.app()) && !e.host().equals(host))
                .map(DomainRegistry.Entry::host).toList();
    }

    private DomainRegistry.Entry entry(ExposeRequest.Validated v, String host, String routeName, String upstream,
            String requestedBy, List<String> servers) {
        return new DomainRegistry.Entry(host, v.owner().namespace(), v.owner().app(), v.service(), v.port(),
                v.route().id(), routeName, upstream, requestedBy, "expose", clock.instant(), servers);
    }

    private void record(ExposeRequest.Validated v, HostClaim claim, String routeName, String upstream,
            String requestedBy, List<String> servers, List<String> changes) {
        DomainRegistry.Entry entry = entry(v, claim.host(), routeName, upstream, requestedBy, servers);
        List<String> stale = staleHostsOf(v.owner(), claim.host());
        for (String old : stale) {
            if (claims.release(old, v.owner())) {
                changes.add("released previous host " + old);
            }
        }
        registry.update(reg -> {
            DomainRegistry next = reg;
            for (String old : stale) {
                next = next.without(old);
            }
            if (entry.sameRoute(next.hosts().get(claim.host()))) {
                return next.equals(reg) ? Update.unchanged(reg, null) : Update.to(next, null);
            }
            return Update.to(next.with(entry), null);
        });
    }

    private int verify(String host, Optional<String> address, Optional<String> nginxListen) {
        String target = address.orElseThrow(() -> new OperationFailedException("Cannot verify " + host
                + ": the route reports no address to send the request to"));
        int port = 80;
        if (nginxListen.isPresent()) {
            String listen = nginxListen.get();
            port = Integer.parseInt(listen.contains(":") ? listen.substring(listen.indexOf(':') + 1) : listen);
        }
        // nginx reloads and load balancers propagate asynchronously and announce nothing, so a short bounded retry
        long deadline = System.nanoTime() + VERIFY_WINDOW.toNanos();
        Optional<HostProbe.Answer> answer;
        do {
            answer = HostProbe.get(target, port, host, Duration.ofSeconds(2));
            if (answer.isPresent() && answer.get().status() < 500 && answer.get().status() != 404) {
                break;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperationFailedException("interrupted while verifying " + host, e);
            }
        } while (System.nanoTime() < deadline);
        if (answer.isEmpty()) {
            throw new OperationFailedException("Verification of http://" + host + "/ through " + target + ":" + port
                    + " got no HTTP answer within " + VERIFY_WINDOW.toSeconds() + "s");
        }
        int status = answer.get().status();
        if (status >= 500 || status == 404) {
            throw new OperationFailedException("Verification of http://" + host + "/ through " + target + ":" + port
                    + " answered HTTP " + status + " (the backend is down or the host is not routed yet)");
        }
        progress.step("verified http://" + host + "/ through " + target + ":" + port + ": HTTP " + status);
        return status;
    }

    private static String listenAddress(String listen) {
        return listen.contains(":") ? listen.substring(0, listen.indexOf(':')) : "127.0.0.1";
    }
}
