package io.jenkins.plugins.kubeplatform.expose;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.jenkins.plugins.kubeplatform.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.core.Progress;
import io.jenkins.plugins.kubeplatform.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.store.StateStore;
import io.jenkins.plugins.kubeplatform.store.StateStore.Update;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sync reconciler (EXP-7): keeps host claims, the domain registry and the nginx server blocks in step with
 * every Ingress and HTTPRoute labelled {@code kubeplatform.jenkins.io/expose=true}, including ones created outside
 * Jenkins. Run once ({@code kubeplatform expose-sync}, Jenkins periodic work) or keep running on watch events.
 */
public final class ExposeSync {

    /** A claim without a route is left alone this long: an expose may be between claiming and creating the route. */
    public static final Duration CLAIM_GRACE = Duration.ofMinutes(10);

    private final KubernetesClient client;
    private final ExposeSettings settings;
    private final StateStore<DomainRegistry> registry;
    private final Clock clock;
    private final Progress progress;
    private final ApiRetry retry;
    private final HostClaims claims;

    /** What one pass did. */
    public record Report(int hosts, List<String> changes, List<String> conflicts) {
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
    }

    public Report runOnce() {
        List<RouteRef> routes = RouteHosts.observe(client, retry).stream().filter(RouteRef::labelled).toList();
        List<HostClaim> claimList = claims.list();
        DomainRegistry current = registry.read();
        Optional<NginxSites> nginx = settings.nginxMode().map(n -> new NginxSites(n, progress));
        Map<String, String> blocks = nginx.map(NginxSites::managedBlocks).orElse(Map.of());
        List<SyncPlan.Action> actions = SyncPlan.plan(routes, claimList, current, blocks,
                nginx.map(NginxSites::listen), this::serviceUpstream, clock.instant(), CLAIM_GRACE);

        List<String> changes = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        List<NginxServerBlock> writes = new ArrayList<>();
        List<String> removals = new ArrayList<>();
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
        if (nginx.isPresent() && (!writes.isEmpty() || !removals.isEmpty())) {
            nginx.get().apply(writes, removals);
            writes.forEach(w -> changes.add("nginx block for " + w.host() + " written"));
            removals.forEach(h -> changes.add("nginx block for " + h + " removed"));
        }
        changes.forEach(progress::step);
        conflicts.forEach(progress::warn);
        int hosts = registry.read().hosts().size();
        return new Report(hosts, List.copyOf(changes), List.copyOf(conflicts));
    }

    /**
     * Runs a pass now and after every change of a labelled Ingress or HTTPRoute (collapsed within {@code debounce}),
     * until closed. Watch failures are retried by the next pass's list.
     */
    public AutoCloseable watch(Duration debounce) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "expose-sync");
            t.setDaemon(true);
            return t;
        });
        AtomicBoolean pending = new AtomicBoolean();
        Runnable pass = () -> {
            pending.set(false);
            try {
                runOnce();
            } catch (OperationFailedException | io.fabric8.kubernetes.client.KubernetesClientException e) {
                progress.warn("sync pass failed, retrying on the next change: " + e.getMessage());
            }
        };
        Runnable trigger = () -> {
            if (pending.compareAndSet(false, true)) {
                executor.schedule(pass, debounce.toMillis(), TimeUnit.MILLISECONDS);
            }
        };
        List<Watch> watches = new ArrayList<>();
        watches.add(client.network().v1().ingresses().inAnyNamespace().withLabel(ExposeLabels.EXPOSE, "true")
                .watch(new Trigger<>(trigger)));
        try {
            watches.add(client.genericKubernetesResources(RouteObjects.HTTP_ROUTE).inAnyNamespace()
                    .withLabel(ExposeLabels.EXPOSE, "true").watch(new Trigger<>(trigger)));
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            progress.warn("not watching HTTPRoutes (is the Gateway API installed?): " + e.getMessage());
        }
        executor.execute(pass);
        return () -> {
            watches.forEach(Watch::close);
            executor.shutdownNow();
        };
    }

    private record Trigger<T>(Runnable trigger) implements Watcher<T> {
        @Override
        public void eventReceived(Action action, T resource) {
            trigger.run();
        }

        @Override
        public void onClose(WatcherException cause) {
            trigger.run();
        }
    }

    private Optional<String> serviceUpstream(SyncPlan.Desired d) {
        if (d.service().isEmpty() || d.port() <= 0) {
            return Optional.empty();
        }
        Service service = retry.call("read Service " + d.owner().namespace() + "/" + d.service(),
                () -> client.services().inNamespace(d.owner().namespace()).withName(d.service()).get());
        if (service == null || service.getSpec() == null) {
            return Optional.empty();
        }
        String ip = service.getSpec().getClusterIP();
        if (ip == null || ip.isBlank() || "None".equals(ip)) {
            return Optional.of(d.service() + "." + d.owner().namespace() + ".svc.cluster.local:" + d.port());
        }
        return Optional.of((ip.contains(":") ? "[" + ip + "]" : ip) + ":" + d.port());
    }
}
