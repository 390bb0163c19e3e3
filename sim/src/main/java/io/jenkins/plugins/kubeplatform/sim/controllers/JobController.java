package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.jenkins.plugins.kubeplatform.sim.model.Workloads;
import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.jenkins.plugins.kubeplatform.sim.ChangeHandler;
import io.jenkins.plugins.kubeplatform.sim.Observed;
import io.jenkins.plugins.kubeplatform.sim.SimAnnotations;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Jobs: up to {@code parallelism} pods at a time until {@code completions} succeeded (condition Complete), or more
 * than {@code backoffLimit} failed (condition Failed, reason BackoffLimitExceeded, active pods deleted). Each pod
 * runs for the Job's (or its template's) {@link SimAnnotations#RUN_FOR} annotation, else
 * {@code SimOptions.jobDuration()}; {@link SimAnnotations#EXIT_CODE} on the template makes its pods fail. Pods are
 * created in slow-start batches with {@code SuccessfulCreate} and {@code FailedCreate} events; after a refused create
 * the Job is synced again after its queue's backoff (1 s doubling to 1 min).
 */
public final class JobController implements SimController {

    /** job_controller.go DefaultJobApiBackOff and MaxJobApiBackOff: the Job queue's retry delays. */
    static final Duration DEFAULT_JOB_API_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_JOB_API_BACKOFF = Duration.ofMinutes(1);
    /** job_controller.go MaxPodCreateDeletePerSync. */
    static final int MAX_POD_CREATE_DELETE_PER_SYNC = 500;

    private SimContext ctx;
    private Observed<Job> jobs;
    private Observed<Pod> pods;
    private ReconcileQueue<Job> reconciles;
    private PodControl podControl;

    @Override
    public String name() {
        return "job-controller";
    }

    @Override
    public void start(SimContext context) {
        this.ctx = context;
        this.podControl = new PodControl(ctx);
        this.reconciles = new ReconcileQueue<>(ctx, (ns, name) -> jobs.get(ns, name), this::reconcile,
                RetryBackoff.exponential(DEFAULT_JOB_API_BACKOFF, MAX_JOB_API_BACKOFF));
        this.jobs = ctx.observe(ctx.client().batch().v1().jobs().inAnyNamespace(), new ChangeHandler<>() {
            @Override
            public void changed(Job j) {
                reconciles.add(j);
            }

        });
        this.pods = ctx.observe(ctx.client().pods().inAnyNamespace(), new ChangeHandler<>() {
            @Override
            public void changed(Pod pod) {
                owner(pod);
            }

            @Override
            public void deleted(Pod pod) {
                owner(pod);
            }
        });
    }

    private void owner(Pod pod) {
        Workloads.controllerUid(pod).ifPresent(uid -> jobs.list(j -> uid.equals(j.getMetadata().getUid()))
                .forEach(reconciles::add));
    }


    private static boolean finished(Job j) {
        return j.getStatus() != null && j.getStatus().getConditions() != null && j.getStatus().getConditions().stream()
                .anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                        && "True".equals(c.getStatus()));
    }

    private void reconcile(Job j) {
        if (j.getMetadata().getDeletionTimestamp() != null) {
            // The real controller manages no pods of a Job being deleted (job_controller.go syncJob: manageJob only
            // when DeletionTimestamp is nil); the garbage collector removes its dependents
            return;
        }
        if (finished(j)) {
            return;
        }
        List<Pod> owned = pods.list(p -> Workloads.ownedBy(p, j));
        int succeeded = (int) owned.stream().filter(p -> "Succeeded".equals(PodStates.phase(p))).count();
        int failed = (int) owned.stream().filter(p -> "Failed".equals(PodStates.phase(p))).count();
        List<Pod> active = new ArrayList<>(owned.stream().filter(PodStates::isActive).toList());
        int completions = j.getSpec().getCompletions() == null ? 1 : j.getSpec().getCompletions();
        int parallelism = j.getSpec().getParallelism() == null ? 1 : j.getSpec().getParallelism();
        int backoffLimit = j.getSpec().getBackoffLimit() == null ? 6 : j.getSpec().getBackoffLimit();
        String now = ctx.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        JobCondition done = null;
        Optional<KubernetesClientException> failure = Optional.empty();
        if (succeeded >= completions) {
            done = new JobConditionBuilder().withType("Complete").withStatus("True").withLastProbeTime(now)
                    .withLastTransitionTime(now).build();
        } else if (failed > backoffLimit) {
            done = new JobConditionBuilder().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
                    .withMessage("Job has reached the specified backoff limit").withLastProbeTime(now)
                    .withLastTransitionTime(now).build();
            for (Pod p : active) {
                Writes.delete(ctx.client(), p);
            }
            active.clear();
        } else if (!Boolean.TRUE.equals(j.getSpec().getSuspend())) {
            int want = Math.min(parallelism, completions - succeeded) - active.size();
            // manageJob: slow-start batches; a refused create leaves the rest for the retry
            failure = SlowStart.run(Math.max(0, Math.min(want, MAX_POD_CREATE_DELETE_PER_SYNC)),
                    i -> active.add(create(j))).error();
        }
        int activeCount = active.size();
        int ready = (int) active.stream().filter(PodStates::isReady).count();
        JobCondition condition = done;
        JobStatus s = j.getStatus();
        if (condition == null && s != null && Objects.equals(s.getActive(), activeCount)
                && Objects.equals(s.getSucceeded(), succeeded) && Objects.equals(s.getFailed(), failed)
                && Objects.equals(s.getReady(), ready)) {
            failure.ifPresent(JobController::retry);
            return;
        }
        // counts and the finished condition were decided on this copy and its pods: written at its version only, as
        // the job controller's status update is not retried (a newer job brings its own pass)
        Writes.updateStatusOnce(ctx.client(), j, x -> {
            JobStatus st = x.getStatus() == null ? new JobStatus() : x.getStatus();
            if (st.getStartTime() == null) {
                st.setStartTime(now);
            }
            st.setActive(activeCount);
            st.setSucceeded(succeeded);
            st.setFailed(failed);
            st.setReady(ready);
            if (condition != null) {
                List<JobCondition> conditions = new ArrayList<>(st.getConditions() == null ? List.of()
                        : st.getConditions());
                if ("Complete".equals(condition.getType())) {
                    conditions.add(new JobConditionBuilder().withType("SuccessCriteriaMet").withStatus("True")
                            .withLastProbeTime(now).withLastTransitionTime(now).build());
                    st.setCompletionTime(now);
                } else {
                    conditions.add(new JobConditionBuilder().withType("FailureTarget").withStatus("True")
                            .withReason("BackoffLimitExceeded").withLastProbeTime(now).withLastTransitionTime(now)
                            .build());
                }
                conditions.add(condition);
                st.setConditions(conditions);
            }
            x.setStatus(st);
            return true;
        }).ifPresent(jobs::put);
        failure.ifPresent(JobController::retry);
    }

    /** syncJob returns manageJob's error after the status: the queue retries with its backoff (1 s to 1 min). */
    private static void retry(KubernetesClientException failure) {
        throw new SyncError(PodControl.message(failure));
    }

    private Pod create(Job j) {
        Pod pod = Workloads.podWithGeneratedName(j, j.getSpec().getTemplate(), Map.of(
                "job-name", j.getMetadata().getName(), "batch.kubernetes.io/job-name", j.getMetadata().getName(),
                "controller-uid", j.getMetadata().getUid(), "batch.kubernetes.io/controller-uid",
                j.getMetadata().getUid()));
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String jobRunFor = j.getMetadata().getAnnotations() == null ? null
                : j.getMetadata().getAnnotations().get(SimAnnotations.RUN_FOR);
        if (!annotations.containsKey(SimAnnotations.RUN_FOR)) {
            annotations.put(SimAnnotations.RUN_FOR, jobRunFor != null ? jobRunFor
                    : ctx.options().jobDuration().toString());
        }
        if (pod.getSpec().getRestartPolicy() == null || "Always".equals(pod.getSpec().getRestartPolicy())) {
            pod.getSpec().setRestartPolicy("Never");
        }
        Pod created = podControl.create(j, pod);
        pods.put(created);
        return created;
    }
}
