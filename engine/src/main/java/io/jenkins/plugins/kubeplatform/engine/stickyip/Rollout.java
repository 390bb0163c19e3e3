package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.api.model.Pod;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.stickyip.PodVerifier.AppPods;
import io.jenkins.plugins.kubeplatform.engine.stickyip.PodVerifier.Outcome;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Applies the workload actions of a plan the way a Deployment rolls its pods (SIP-4): every new identity is created
 * at once (at most {@link RolloutPolicy#writeConcurrency()} writes in flight), changed identities are replaced while
 * at most {@link RolloutPolicy#budget(int)} identities are unavailable, and everything is awaited through one watch
 * on the app's pods. Each identity has its own deadline, counted from its write.
 */
final class Rollout {

    private static final Duration SLICE = Duration.ofSeconds(2);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(10);
    /** How long closing a rollout waits for its writes in flight. */
    private static final Duration WRITES_END = Duration.ofSeconds(60);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final WorkloadApplier applier;
    private final PodVerifier verifier;
    private final RolloutPolicy policy;
    private final Progress progress;
    private final Optional<PrePull> prePull;

    Rollout(WorkloadApplier applier, PodVerifier verifier, RolloutPolicy policy, Progress progress) {
        this(applier, verifier, policy, progress, Optional.empty());
    }

    Rollout(WorkloadApplier applier, PodVerifier verifier, RolloutPolicy policy, Progress progress,
            Optional<PrePull> prePull) {
        this.applier = applier;
        this.verifier = verifier;
        this.policy = policy;
        this.progress = progress;
        this.prePull = prePull;
    }

    /**
     * An identity written (or found not yet Ready) and not yet Running and Ready with its address. {@code inPlace}
     * holds, for an in-place update, how its write ended (null while the write is in flight).
     */
    private record Pending(DeployPlan.WorkloadAction action, Optional<String> templateHash, long deadline,
                           boolean budgeted, Optional<AtomicReference<WorkloadApplier.InPlace>> inPlace) {

        Pending(DeployPlan.WorkloadAction action, Optional<String> templateHash, long deadline, boolean budgeted) {
            this(action, templateHash, deadline, budgeted, Optional.empty());
        }
    }

    /**
     * Runs the actions that need work and waits for them. {@code onReady} is called (on the calling thread) for each
     * identity as soon as its pod is Running and Ready with its address. A redeploy that changes images first
     * pre-pulls them ({@link PrePull}) when the policy says so; a bad image then fails before any identity is replaced.
     *
     * @param healthy identities (workload names) whose pod was Running and Ready with its address before the deploy
     * @throws OperationFailedException for the first identity that fails or times out, naming pod, IP and cause
     */
    void run(DeployRequest request, List<DeployPlan.WorkloadAction> actions, java.util.Set<String> healthy,
             java.util.function.BiConsumer<DeployPlan.WorkloadAction, Pod> onReady) {
        List<DeployPlan.Create> creates = new ArrayList<>();
        List<DeployPlan.Replace> unhealthyReplaces = new ArrayList<>();
        List<DeployPlan.Replace> healthyReplaces = new ArrayList<>();
        List<DeployPlan.Keep> toAwait = new ArrayList<>();
        for (DeployPlan.WorkloadAction action : actions) {
            if (action instanceof DeployPlan.Create c) {
                creates.add(c);
            } else if (action instanceof DeployPlan.Replace r) {
                (healthy.contains(r.identity().workloadName()) ? healthyReplaces : unhealthyReplaces).add(r);
            } else if (action instanceof DeployPlan.Keep k && k.running().isEmpty()) {
                toAwait.add(k);
            }
        }
        if (creates.isEmpty() && unhealthyReplaces.isEmpty() && healthyReplaces.isEmpty() && toAwait.isEmpty()) {
            return;
        }
        // already unavailable ones first: replacing them takes nothing away
        Deque<DeployPlan.Replace> queue = new ArrayDeque<>(unhealthyReplaces);
        queue.addAll(healthyReplaces);
        Run run = new Run(request, queue, onReady);
        try (AppPods pods = verifier.watchApp(request.namespace(), request.name(), progress); Run closing = run) {
            prePull(request, queue, pods);
            run.start(toAwait, creates);
            run.roll(pods);
            run.finishWrites();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("Interrupted while rolling out " + request.namespace() + "/"
                    + request.name(), e);
        }
    }

    /** The pre-pull phase (SIP-4): only for replacements whose images differ from what their pods run now. */
    private void prePull(DeployRequest request, java.util.Collection<DeployPlan.Replace> replaces, AppPods pods) {
        if (prePull.isEmpty() || !policy.prePull() || replaces.isEmpty()) {
            return;
        }
        List<DeployPlan.Replace> list = new ArrayList<>(replaces);
        PrePull.Plan plan = prePull.get().plan(list, pods.byIdentity());
        prePull.get().run(request.namespace(), request.name(), list.get(0).desired().getSpec().getTemplate().getSpec(),
                plan, request.timeout());
    }

    /** One rollout in progress: the identities awaited, the replacements still queued, the writes in flight. */
    private final class Run implements AutoCloseable {

        private final DeployRequest request;
        private final Deque<DeployPlan.Replace> queue;
        private final java.util.function.BiConsumer<DeployPlan.WorkloadAction, Pod> onReady;
        private final int budget;
        private final long timeout;
        private final Map<ReplicaIdentity, Pending> pending = new LinkedHashMap<>();
        private final Map<ReplicaIdentity, Future<?>> writes = new LinkedHashMap<>();
        private final java.util.Set<ReplicaIdentity> fellBack = new java.util.HashSet<>();
        private ExecutorService replacer;
        private long nextReport;

        Run(DeployRequest request, Deque<DeployPlan.Replace> queue,
            java.util.function.BiConsumer<DeployPlan.WorkloadAction, Pod> onReady) {
            this.request = request;
            this.queue = queue;
            this.onReady = onReady;
            this.budget = policy.budget(request.replicas());
            this.timeout = request.timeout().toNanos();
        }

        /** Awaits the kept identities that are not Ready yet and creates every new identity at once. */
        void start(List<DeployPlan.Keep> toAwait, List<DeployPlan.Create> creates) throws InterruptedException {
            for (DeployPlan.Keep k : toAwait) {
                progress.waiting(k.identity() + ": waiting for its pod to be Running and Ready with " + k.addresses());
                pending.put(k.identity(), new Pending(k, Optional.empty(), System.nanoTime() + timeout, true));
            }
            if (!creates.isEmpty()) {
                List<Runnable> creating = new ArrayList<>();
                for (DeployPlan.Create c : creates) {
                    progress.step(c.identity() + ": creating workload with " + c.addresses());
                    creating.add(() -> applier.create(c.desired()));
                }
                writeAll(creating);
                long deadline = System.nanoTime() + timeout;
                for (DeployPlan.Create c : creates) {
                    pending.put(c.identity(), new Pending(c, Optional.of(c.templateHash()), deadline, false));
                }
                progress.waiting(creates.size() + " new identit" + (creates.size() == 1 ? "y" : "ies")
                        + ": waiting for their pods to be Running and Ready with their addresses");
            }
            if (!queue.isEmpty()) {
                progress.step(queue.size() + " identit" + (queue.size() == 1 ? "y" : "ies")
                        + " to replace, at most " + budget + " unavailable at a time (maxUnavailable "
                        + policy.maxUnavailable() + ")");
            }
        }

        /** Replaces under the budget and awaits everything until all identities are Ready (or one fails). */
        void roll(AppPods pods) throws InterruptedException {
            nextReport = System.nanoTime() + REPORT_EVERY.toNanos();
            while (!pending.isEmpty() || !queue.isEmpty()) {
                fillBudget(pods);
                checkWrites();
                long now = System.nanoTime();
                if (pending.values().stream().anyMatch(p -> now - p.deadline() >= 0)) {
                    pods.refresh(); // decide a timeout on the server's current state, not on a watch that lagged
                }
                long seen = pods.changes();
                long nearest = collect(pods, now);
                report(pods, now);
                if (nearest > 0 && !pending.isEmpty()) {
                    pods.awaitChange(seen, Duration.ofNanos(Math.max(1, Math.min(Math.min(nearest, nextReport - now),
                            SLICE.toNanos()))));
                }
            }
        }

        /**
         * Issues replacements while fewer than the budget are unavailable, without waiting for the writes: the loop
         * keeps serving the watch meanwhile, so a freed slot is refilled at once even while earlier replacements are
         * still being written.
         */
        private void fillBudget(AppPods pods) {
            long unavailable = pending.values().stream().filter(Pending::budgeted).count();
            while (unavailable < budget && !queue.isEmpty()) {
                DeployPlan.Replace r = queue.poll();
                long deadline = System.nanoTime() + timeout;
                if (r.inPlace().isPresent() && policy.inPlace()) {
                    progress.step(r.identity() + ": updating in place (" + r.reason() + ")");
                    AtomicReference<WorkloadApplier.InPlace> result = new AtomicReference<>();
                    Map<String, String> running = runningImages(pods, r);
                    writes.put(r.identity(), replacer().submit(() -> result.set(
                            applier.updateInPlace(r.desired(), r.inPlace().get(), running))));
                    pending.put(r.identity(), new Pending(r, Optional.of(r.templateHash()), deadline, true,
                            Optional.of(result)));
                } else {
                    progress.step(r.identity() + ": replacing workload (" + r.reason() + "), keeping " + r.addresses());
                    writes.put(r.identity(), replacer().submit(() -> applier.replace(r.desired())));
                    pending.put(r.identity(), new Pending(r, Optional.of(r.templateHash()), deadline, true));
                }
                unavailable++;
            }
        }

        /** The images the pod to update in place runs now, by container, as the watch last saw it. */
        private Map<String, String> runningImages(AppPods pods, DeployPlan.Replace r) {
            Map<String, String> images = new HashMap<>();
            pods.byIdentity().getOrDefault(r.identity().workloadName(), List.of()).stream()
                    .filter(p -> p.getMetadata().getName().equals(r.inPlace().get().name())).findFirst()
                    .ifPresent(p -> p.getSpec().getContainers().forEach(c -> images.put(c.getName(), c.getImage())));
            return images;
        }

        private void checkWrites() {
            for (Map.Entry<ReplicaIdentity, Future<?>> w : writes.entrySet()) {
                if (w.getValue().isDone()) {
                    failure(w.getValue()).ifPresent(e -> {
                        throw e;
                    });
                }
            }
            writes.values().removeIf(Future::isDone);
        }

        /**
         * Takes the Ready identities off the pending list; returns 0 when one became Ready (look again at once),
         * else the time until the nearest deadline.
         */
        private long collect(AppPods pods, long now) {
            Map<String, List<Pod>> byIdentity = pods.byIdentity();
            long nearest = Long.MAX_VALUE;
            boolean progressed = false;
            for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
                Pending p = it.next();
                DeployPlan.WorkloadAction a = p.action();
                Optional<java.util.function.Predicate<Pod>> done = done(p);
                if (done.isEmpty()) { // an in-place write still in flight: its pod's status says nothing yet
                    nearest = Math.min(nearest, Math.max(1, p.deadline() - now));
                    continue;
                }
                Outcome outcome = pods.outcome(a.identity(), a.addresses(), p.templateHash(),
                        byIdentity.getOrDefault(a.identity().workloadName(), List.of()), now - p.deadline() >= 0,
                        request.timeout(), done.get());
                if (outcome instanceof Outcome.Ready ready) {
                    it.remove();
                    progressed = true;
                    resumeIfPaused(p);
                    onReady.accept(a, ready.pod());
                } else if (outcome instanceof Outcome.Failed failed) {
                    throw new OperationFailedException(failed.message());
                } else {
                    nearest = Math.min(nearest, p.deadline() - now);
                }
            }
            return progressed ? 0 : nearest;
        }

        /**
         * What a Ready pod of the pending identity must also show: nothing for a created or replaced pod; for the pod
         * updated in place, that its changed containers ran again from their new images. Empty while an in-place
         * write is in flight. An in-place update that fell back to a replacement is reported here, once.
         */
        private Optional<java.util.function.Predicate<Pod>> done(Pending p) {
            if (p.inPlace().isEmpty()) {
                return Optional.of(pod -> true);
            }
            WorkloadApplier.InPlace result = p.inPlace().get().get();
            if (result == null) {
                return Optional.empty();
            }
            if (result instanceof WorkloadApplier.InPlace.Replaced replaced) {
                if (fellBack.add(p.action().identity())) {
                    progress.warn(p.action().identity() + ": not updated in place (" + replaced.reason()
                            + "); its pod is replaced instead, keeping " + p.action().addresses());
                }
                return Optional.of(pod -> true);
            }
            WorkloadApplier.InPlace.Patched patched = (WorkloadApplier.InPlace.Patched) result;
            return Optional.of(pod -> !patched.podUid().equals(pod.getMetadata().getUid())
                    || PodVerifier.restartedWithNewImages(pod, patched.restarts()));
        }

        /** Whether the identity's Deployment was paused by its in-place update (not by one that fell back). */
        private boolean pausedByUs(Pending p) {
            return p.inPlace().isPresent() && p.inPlace().get().get() instanceof WorkloadApplier.InPlace.Patched;
        }

        /** Resumes the Deployment of an identity updated in place, now that its pod runs the new images. */
        private void resumeIfPaused(Pending p) {
            if (pausedByUs(p)) {
                ReplicaIdentity id = p.action().identity();
                writes.put(id, replacer().submit(() -> applier.resume(id)));
            }
        }

        /** Waits for the writes still in flight (resumes after the last identity became Ready); throws the first failure. */
        void finishWrites() {
            for (Future<?> w : writes.values()) {
                failure(w).ifPresent(f -> {
                    throw f;
                });
            }
            writes.clear();
        }

        private void report(AppPods pods, long now) {
            if (pending.isEmpty() || now - nextReport < 0) {
                return;
            }
            // an identity that has no pod at all is the one to explain: its ReplicaSet may be refused its pods
            Map<String, List<Pod>> byIdentity = pods.byIdentity();
            Pending first = pending.values().stream()
                    .filter(p -> byIdentity.getOrDefault(p.action().identity().workloadName(), List.of()).isEmpty())
                    .findFirst().orElse(pending.values().iterator().next());
            ReplicaIdentity id = first.action().identity();
            Optional<String> refused = byIdentity.getOrDefault(id.workloadName(), List.of()).isEmpty()
                    ? verifier.replicaFailure(id) : Optional.empty();
            progress.waiting(pending.size() + " identit" + (pending.size() == 1 ? "y" : "ies")
                    + " not yet Running and Ready, e.g. " + id + " with "
                    + first.action().addresses() + " (" + Math.max(0, (first.deadline() - now) / 1_000_000_000L)
                    + "s left" + pods.problem().map(p -> "; " + p).orElse("")
                    + refused.map(r -> "; no pod yet, its ReplicaSet cannot create one: " + r).orElse("") + ")");
            nextReport = now + REPORT_EVERY.toNanos();
        }

        private ExecutorService replacer() {
            if (replacer == null) {
                replacer = writers(Math.min(policy.writeConcurrency(), Math.max(1, budget)));
            }
            return replacer;
        }

        @Override
        public void close() {
            if (replacer == null) {
                return;
            }
            // the writes in flight end first (each is bounded by the retry policy), so that no pause lands later
            replacer.shutdown();
            try {
                if (!replacer.awaitTermination(WRITES_END.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    replacer.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                replacer.shutdownNow();
            }
            // a failed or interrupted rollout leaves no Deployment paused: an identity updated in place is resumed
            // when it leaves the pending list, so those still pending are resumed here
            for (Pending p : pending.values()) {
                if (pausedByUs(p)) {
                    try {
                        applier.resume(p.action().identity());
                    } catch (RuntimeException e) {
                        progress.warn(p.action().identity() + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    /** The failure of a finished write, as the deploy reports it. */
    private static Optional<RuntimeException> failure(Future<?> write) {
        try {
            write.get();
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of(e.getCause() instanceof RuntimeException re ? re
                    : new OperationFailedException(String.valueOf(e.getCause().getMessage()), e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(new OperationFailedException("Interrupted while replacing workloads", e));
        }
    }

    private static ExecutorService writers(int threads) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "stickyip-write-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Removes the workloads of identities beyond the replica count (SIP-7): all are scaled to zero at once, their
     * pods are awaited gone through one watch (so their addresses are really free), then the workloads are deleted.
     */
    void remove(DeployRequest request, List<DeployPlan.Removal> removals) {
        if (removals.isEmpty()) {
            return;
        }
        try (AppPods pods = verifier.watchApp(request.namespace(), request.name(), progress)) {
            List<Runnable> scales = new ArrayList<>();
            for (DeployPlan.Removal r : removals) {
                progress.step(r.identity() + ": removing workload (scaled down)");
                scales.add(() -> applier.scaleToZero(r.identity()));
            }
            writeAll(scales);
            long deadline = System.nanoTime() + request.timeout().toNanos();
            boolean announced = false;
            while (true) {
                long seen = pods.changes();
                Map<String, List<Pod>> byIdentity = pods.byIdentity();
                Optional<DeployPlan.Removal> left = removals.stream()
                        .filter(r -> !byIdentity.getOrDefault(r.identity().workloadName(), List.of()).isEmpty())
                        .findFirst();
                if (left.isEmpty()) {
                    break;
                }
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    pods.refresh();
                    Map<String, List<Pod>> current = pods.byIdentity();
                    if (removals.stream().allMatch(r -> current.getOrDefault(r.identity().workloadName(), List.of())
                            .isEmpty())) {
                        break;
                    }
                    List<String> pending = current.getOrDefault(left.get().identity().workloadName(), List.of()).stream()
                            .map(p -> p.getMetadata().getName() + " (" + (p.getStatus() == null ? "?"
                                    : p.getStatus().getPhase()) + (p.getMetadata().getDeletionTimestamp() == null ? ""
                                    : ", terminating") + " on " + (p.getSpec() == null ? "?" : p.getSpec().getNodeName())
                                    + ")").toList();
                    throw new OperationFailedException(left.get().identity() + ": its pod did not terminate within "
                            + request.timeout().toSeconds() + "s (" + String.join(", ", pending) + "); its address "
                            + "stays reserved. Check the pod's finalizers and its node.");
                }
                if (!announced) {
                    progress.waiting("waiting for the pods of " + removals.size() + " removed identit"
                            + (removals.size() == 1 ? "y" : "ies") + " to terminate");
                    announced = true;
                }
                pods.awaitChange(seen, Duration.ofNanos(Math.min(deadline - now, SLICE.toNanos())));
            }
            List<Runnable> deletes = new ArrayList<>();
            for (DeployPlan.Removal r : removals) {
                deletes.add(() -> applier.delete(r.identity()));
            }
            writeAll(deletes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("Interrupted while removing identities of " + request.namespace() + "/"
                    + request.name(), e);
        }
    }

    /** Runs the writes with at most writeConcurrency in flight; all are finished before the first failure is thrown. */
    private void writeAll(List<Runnable> writes) throws InterruptedException {
        if (writes.size() == 1) {
            writes.get(0).run();
            return;
        }
        int threads = Math.min(policy.writeConcurrency(), writes.size());
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "stickyip-write-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Runnable w : writes) {
                futures.add(executor.submit(w));
            }
            RuntimeException first = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof RuntimeException re ? re
                                : new OperationFailedException(String.valueOf(e.getCause().getMessage()), e.getCause());
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            executor.shutdownNow();
        }
    }

    static Map<String, List<Pod>> group(List<Pod> pods) {
        Map<String, List<Pod>> out = new HashMap<>();
        for (Pod p : pods) {
            String id = p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(StickyIpLabels.IDENTITY);
            if (id != null) {
                out.computeIfAbsent(id, k -> new ArrayList<>()).add(p);
            }
        }
        return out;
    }
}
