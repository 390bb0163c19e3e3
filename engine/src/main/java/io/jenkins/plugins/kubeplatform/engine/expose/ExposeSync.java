package io.jenkins.plugins.kubeplatform.engine.expose;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.HintWatch;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sync reconciler (EXP-7, EXP-10, EXP-11): keeps host claims, the domain registry and the nginx configuration
 * in step with every Ingress and HTTPRoute labelled {@code kubeplatform.jenkins.io/expose=true}, including ones
 * created outside Jenkins; gives host-less routes in managed namespaces (or labelled) a generated host; and in nginx
 * mode keeps each host's upstream equal to the ready addresses of its Service's EndpointSlices and its certificate
 * equal to its TLS Secret. Run once ({@code kubeplatform expose-sync}, Jenkins periodic work) or keep running on
 * watch events ({@link #watch}); a pass that finds everything in step writes nothing and does not reload nginx.
 */
public final class ExposeSync {

    /** A claim without a route is left alone this long: an expose may be between claiming and creating the route. */
    public static final Duration CLAIM_GRACE = Duration.ofMinutes(10);
    /** In watch mode a full pass also runs this often, in case a watch event was lost. */
    public static final Duration RESYNC = Duration.ofMinutes(1);

    private final KubernetesClient client;
    private final ExposeSettings settings;
    private final StateStore<DomainRegistry> registry;
    private final Clock clock;
    private final Progress progress;
    private final ApiRetry retry;
    private final HostClaims claims;
    private final HostGenerator generator;
    /** Services ({@code namespace/name}) and TLS Secrets the last pass served: their changes start a pass. */
    private final Set<String> followedServices = ConcurrentHashMap.newKeySet();
    private final Set<String> followedSecrets = ConcurrentHashMap.newKeySet();

    /**
     * What one pass did.
     *
     * @param reloaded whether nginx was reloaded
     */
    public record Report(int hosts, List<String> changes, List<String> conflicts, boolean reloaded) {
    }

    public ExposeSync(KubernetesClient client, ExposeSettings settings, StateStore<DomainRegistry> registry, Clock clock,
            Progress progress, ApiRetry retry) {
        this.client = client;
        this.settings = settings.validated();
        this.registry = registry;
        this.clock = clock;
        this.progress = progress;
        this.retry = retry;
        this.claims = new HostClaims(client, this.settings.claimNamespace(), retry);
        this.generator = new HostGenerator(client, this.settings,
                new HostAllocator(this.settings, claims, clock, progress), retry, new ObjectEvents(client, clock, retry));
    }

    public Report runOnce() {
        List<String> changes = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        RouteHosts.Observation observed = RouteHosts.observeAll(client, retry);
        if (generator.generate(observed, changes, conflicts) > 0) {
            observed = RouteHosts.observeAll(client, retry); // the generated hosts are served in this same pass
        }
        List<RouteRef> routes = observed.routes().stream().filter(RouteRef::labelled).toList();
        List<HostClaim> claimList = claims.list();
        DomainRegistry current = registry.read();
        Optional<NginxSites> nginx = settings.nginxMode().map(n -> new NginxSites(n, progress));
        Map<String, String> blocks = nginx.map(NginxSites::managedBlocks).orElse(Map.of());
        Backends backends = nginx.map(this::backends).orElse(null);
        List<SyncPlan.Action> actions = SyncPlan.plan(routes, claimList, current, blocks,
                d -> nginx.flatMap(n -> blockFor(n, backends, d)), clock.instant(), CLAIM_GRACE);

        if (backends != null) {
            followedServices.addAll(backends.usedServices());
            followedServices.retainAll(backends.usedServices());
            followedSecrets.addAll(backends.usedSecrets());
            followedSecrets.retainAll(backends.usedSecrets());
        }
        List<NginxServerBlock> writes = new ArrayList<>();
        List<String> removals = new ArrayList<>();
        applyClaimActions(actions, changes, conflicts, writes, removals);
        applyRegistryActions(actions, changes);
        boolean reloaded = false;
        if (nginx.isPresent()) {
            reloaded = nginx.get().update(writes, removals).reloaded();
            writes.forEach(w -> changes.add("nginx block for " + w.host() + " written (upstream "
                    + (w.servers().isEmpty() ? "none" : String.join(" ", w.servers())) + ")"));
            removals.forEach(h -> changes.add("nginx block for " + h + " removed"));
        }
        changes.forEach(progress::step);
        conflicts.forEach(progress::warn);
        int hosts = registry.read().hosts().size();
        return new Report(hosts, List.copyOf(changes), List.copyOf(conflicts), reloaded);
    }

    /** Claims and releases hosts now; collects the nginx block writes and removals for one update. */
    private void applyClaimActions(List<SyncPlan.Action> actions, List<String> changes, List<String> conflicts,
            List<NginxServerBlock> writes, List<String> removals) {
        for (SyncPlan.Action action : actions) {
            if (action instanceof SyncPlan.Action.Claim c) {
                HostClaims.Outcome outcome = claims.claim(c.claim());
                if (outcome instanceof HostClaims.Outcome.TakenBy t) {
                    conflicts.add(c.host() + " is routed for " + c.claim().owner() + " but claimed by " + t.holder().owner());
                } else {
                    changes.add("claimed " + c.host() + " for " + c.claim().owner());
                }
            } else if (action instanceof SyncPlan.Action.Release r) {
                if (claims.release(r.host(), r.owner())) {
                    changes.add("released " + r.host() + " (no route serves it)");
                }
            } else if (action instanceof SyncPlan.Action.WriteBlock w) {
                writes.add(w.block());
            } else if (action instanceof SyncPlan.Action.RemoveBlock r) {
                removals.add(r.host());
            } else if (action instanceof SyncPlan.Action.Conflict c) {
                conflicts.add(c.detail());
            }
        }
    }

    /** Records and forgets registry entries in one registry update. */
    private void applyRegistryActions(List<SyncPlan.Action> actions, List<String> changes) {
        List<SyncPlan.Action> registryActions = actions.stream()
                .filter(a -> a instanceof SyncPlan.Action.Record || a instanceof SyncPlan.Action.Forget).toList();
        if (!registryActions.isEmpty()) {
            registry.update(reg -> {
                DomainRegistry next = reg;
                for (SyncPlan.Action a : registryActions) {
                    next = a instanceof SyncPlan.Action.Record r ? next.with(r.entry()) : next.without(a.host());
                }
                return Update.to(next, null);
            });
            registryActions.forEach(a -> changes.add((a instanceof SyncPlan.Action.Record ? "recorded " : "forgot ") + a.host()));
        }
    }

    /** Services and EndpointSlices of all namespaces, read once per pass (two list requests). */
    private record Backends(Map<String, Service> services, List<EndpointSlice> slices, Set<String> usedServices,
            Set<String> usedSecrets) {
    }

    private Backends backends(NginxSites nginx) {
        Map<String, Service> services = new java.util.HashMap<>();
        for (Service s : retry.call("list Services in all namespaces",
                () -> client.services().inAnyNamespace().list().getItems())) {
            services.put(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), s);
        }
        List<EndpointSlice> slices = retry.call("list EndpointSlices in all namespaces",
                () -> client.discovery().v1().endpointSlices().inAnyNamespace().list().getItems());
        return new Backends(services, slices, ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
    }

    private Optional<NginxServerBlock> blockFor(NginxSites nginx, Backends backends, SyncPlan.Desired d) {
        List<String> servers;
        if (d.upstream().isPresent()) {
            servers = List.of(d.upstream().get());
        } else {
            Service service = d.service().isEmpty() || d.port() <= 0 ? null
                    : backends.services().get(d.owner().namespace() + "/" + d.service());
            if (service == null) {
                return Optional.empty(); // nowhere to send traffic: no block (an existing one is removed)
            }
            backends.usedServices().add(d.owner().namespace() + "/" + d.service());
            servers = ServiceBackends.servers(service, d.port(), backends.slices(), nginx.settings().fallsBackToClusterIp());
        }
        Optional<String> secret = d.tlsSecret().or(() -> settings.tls() == null ? Optional.empty()
                : Optional.ofNullable(settings.tls().secretName()));
        secret.ifPresent(s -> backends.usedSecrets().add(d.owner().namespace() + "/" + s));
        Optional<NginxServerBlock.Tls> tls = NginxBlocks.tls(client, retry, nginx, d.host(), d.owner().namespace(),
                secret, progress);
        return Optional.of(NginxBlocks.block(nginx, d.host(), d.owner(), d.requestedBy(), servers, tls));
    }

    /**
     * Runs a pass now, after every relevant change (any Ingress or HTTPRoute; in nginx mode the EndpointSlices of
     * served Services and their TLS Secrets) and every {@link #RESYNC}, until closed. Changes within
     * {@code debounce} make one pass, and nginx is reloaded at most once per {@code domains.nginxReloadInterval}:
     * a pass due earlier waits for the interval's end and then takes every change made meanwhile.
     */
    public AutoCloseable watch(Duration debounce) {
        return watch(debounce, RESYNC);
    }

    public AutoCloseable watch(Duration debounce, Duration resync) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "expose-sync");
            t.setDaemon(true);
            return t;
        });
        long reloadGapNanos = settings.nginxMode().map(n -> n.reloadEvery().toNanos()).orElse(0L);
        AtomicBoolean pending = new AtomicBoolean();
        AtomicLong lastReload = new AtomicLong(System.nanoTime() - reloadGapNanos);
        Runnable pass = new Runnable() {
            @Override
            public void run() {
                // decided here, on the pass thread, so a reload that just happened is always seen
                long early = lastReload.get() + reloadGapNanos - System.nanoTime();
                if (early > 0) {
                    schedule(executor, this, early, pending); // still pending: later changes join this pass
                    return;
                }
                pending.set(false);
                try {
                    if (runOnce().reloaded()) {
                        lastReload.set(System.nanoTime());
                    }
                } catch (RuntimeException e) {
                    progress.warn("sync pass failed, retrying on the next change: " + e.getMessage());
                }
            }
        };
        Runnable trigger = () -> {
            if (pending.compareAndSet(false, true)) {
                schedule(executor, pass, debounce.toNanos(), pending);
            }
        };
        List<HintWatch<?>> watches = openWatches(trigger);
        pending.set(true);
        executor.execute(pass);
        executor.scheduleWithFixedDelay(trigger, resync.toNanos(), resync.toNanos(), TimeUnit.NANOSECONDS);
        return () -> {
            watches.forEach(HintWatch::close);
            executor.shutdownNow();
        };
    }

    /** The watches whose events start a pass: routes always; in nginx mode followed EndpointSlices and Secrets. */
    private List<HintWatch<?>> openWatches(Runnable trigger) {
        List<HintWatch<?>> watches = new ArrayList<>();
        watches.add(HintWatch.open(client.network().v1().ingresses().inAnyNamespace(), x -> trigger.run(), trigger));
        try {
            watches.add(HintWatch.open(client.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class)
                    .inAnyNamespace(),
                    x -> trigger.run(), trigger));
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            progress.warn("not watching HTTPRoutes (is the Gateway API installed?): " + e.getMessage());
        }
        if (settings.nginxMode().isPresent()) {
            watches.add(HintWatch.<EndpointSlice>open(client.discovery().v1().endpointSlices().inAnyNamespace(),
                    slice -> {
                        if (slice.getMetadata().getLabels() != null && followedServices.contains(
                                slice.getMetadata().getNamespace() + "/"
                                        + slice.getMetadata().getLabels().get(ServiceBackends.SERVICE_NAME_LABEL))) {
                            trigger.run();
                        }
                    }, trigger));
            if (settings.nginxMode().get().https().isPresent()) {
                watches.add(HintWatch.<Secret>open(client.secrets().inAnyNamespace(), secret -> {
                    if (followedSecrets.contains(secret.getMetadata().getNamespace() + "/"
                            + secret.getMetadata().getName())) {
                        trigger.run();
                    }
                }, trigger));
            }
        }
        return watches;
    }

    private static void schedule(ScheduledExecutorService executor, Runnable pass, long delayNanos,
            AtomicBoolean pending) {
        try {
            executor.schedule(pass, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            pending.set(false);
        }
    }
}
