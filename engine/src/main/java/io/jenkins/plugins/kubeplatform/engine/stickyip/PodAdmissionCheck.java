package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.URLUtils;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Asks the API server, before the deploy writes anything, whether it admits the app's pods: a server-side dry run
 * ({@code dryRun=All}: admission and validation run, nothing is stored) of one identity's pod as its ReplicaSet would
 * create it. A Deployment is accepted whatever its pods look like (Pod Security Admission only warns on workloads), so
 * a pod that the namespace's Pod Security level, a missing service account or an admission policy refuses would
 * otherwise show only as identities that never get a pod, until the step's timeout. An exhausted ResourceQuota fails
 * when the plan creates identities (their pods cannot get the room) and only warns when it replaces identities (each
 * replacement frees its old pod's share first); answers that say nothing about the pod (no permission to create pods,
 * a webhook that does not support dry runs, a server error) only warn.
 */
final class PodAdmissionCheck {

    private final KubernetesClient client;
    private final ApiRetry retry;
    private final Progress progress;

    PodAdmissionCheck(KubernetesClient client, ApiRetry retry, Progress progress) {
        this.client = client;
        this.retry = retry;
        this.progress = progress;
    }

    /** The pod that {@code desired}'s ReplicaSet would create (its name left to the server). */
    static Pod podOf(Deployment desired) {
        PodTemplateSpec template = desired.getSpec().getTemplate();
        return new PodBuilder()
                .withMetadata(new ObjectMetaBuilder(template.getMetadata()).withName(null)
                        .withGenerateName(desired.getMetadata().getName() + "-")
                        .withNamespace(desired.getMetadata().getNamespace()).build())
                .withSpec(template.getSpec()).build();
    }

    /**
     * Fails, naming the server's reason, when the API server refuses the pod of {@code identity} (its workload
     * {@code desired}) for good; warns when it cannot tell. Returns the pod as the server admitted it (its defaults
     * and admission mutations applied, LimitRange defaults among them), when it did.
     */
    Optional<Pod> check(ReplicaIdentity identity, Deployment desired) {
        return check(identity, desired, 0, 0);
    }

    /**
     * {@link #check(ReplicaIdentity, Deployment)} for a plan that creates {@code newIdentities} of {@code replicas}:
     * an exhausted ResourceQuota then fails too, since the new identities' pods cannot get the room.
     */
    Optional<Pod> check(ReplicaIdentity identity, Deployment desired, int newIdentities, int replicas) {
        Pod pod = podOf(desired);
        String ns = desired.getMetadata().getNamespace();
        try {
            return Optional.ofNullable(retry.call("dry-run create of a pod of " + identity,
                    () -> dryRunCreate(ns, pod)));
        } catch (KubernetesClientException e) {
            refused(identity, e, newIdentities, replicas);
        } catch (OperationFailedException e) {
            progress.warn("could not ask the API server whether it admits the pods of " + identity.namespace() + "/"
                    + identity.name() + " (" + e.getMessage() + "); rolling out without that check");
        }
        return Optional.empty();
    }

    /**
     * {@code POST pods?dryRun=All} through the client's own HTTP client (its authentication included). The answer's
     * {@code Warning} headers (a namespace whose Pod Security {@code warn} level is stricter than its {@code enforce}
     * level admits the pod with a warning) reach the step's log through the client's
     * {@link io.jenkins.plugins.kubeplatform.engine.kube.ServerWarnings}, each text once however many of the
     * Deployment's own writes repeat it. Returns the pod as the server would store it (null if its answer cannot be
     * read as one); an error answer is thrown as the typed API throws it.
     */
    private Pod dryRunCreate(String namespace, Pod pod) {
        HttpClient http = client.getHttpClient();
        String uri = URLUtils.join(client.getMasterUrl().toString(), "api", "v1", "namespaces", namespace, "pods")
                + "?dryRun=All";
        HttpRequest request = http.newHttpRequestBuilder().uri(uri)
                .post("application/json", client.getKubernetesSerialization().asJson(pod)).build();
        HttpResponse<String> response;
        try {
            response = http.sendAsync(request, String.class).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted", e);
        } catch (ExecutionException e) {
            throw new KubernetesClientException(String.valueOf(e.getCause().getMessage()), e.getCause());
        }
        if (!response.isSuccessful()) {
            Status status;
            try {
                status = client.getKubernetesSerialization().unmarshal(response.body(), Status.class);
            } catch (RuntimeException notAStatus) {
                status = null;
            }
            if (status == null || status.getMessage() == null) {
                throw new KubernetesClientException("HTTP " + response.code() + " " + response.body(), response.code(),
                        null);
            }
            status.setCode(response.code());
            throw new KubernetesClientException(status);
        }
        try {
            return client.getKubernetesSerialization().unmarshal(response.body(), Pod.class);
        } catch (RuntimeException notAPod) {
            return null;
        }
    }

    /** Fails for a refusal of the pod itself; warns for an answer that says nothing about it. */
    void refused(ReplicaIdentity identity, KubernetesClientException e) {
        refused(identity, e, 0, 0);
    }

    /**
     * {@link #refused(ReplicaIdentity, KubernetesClientException)}; an exhausted quota fails when the plan creates
     * {@code newIdentities} (of {@code replicas}), naming the quota's figures from the server's message.
     */
    void refused(ReplicaIdentity identity, KubernetesClientException e, int newIdentities, int replicas) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : String.valueOf(e.getMessage());
        String lowered = message.toLowerCase(Locale.ROOT);
        String app = identity.namespace() + "/" + identity.name();
        boolean rbac = e.getCode() == 403 && lowered.contains("cannot create resource");
        boolean quotaFull = e.getCode() == 403 && lowered.contains("exceeded quota");
        if (quotaFull && newIdentities > 0 && ResourceQuotaCheck.exhausted(identity.namespace(), identity.name(),
                message, newIdentities, replicas).isPresent()) {
            Optional<String> full = new ResourceQuotaCheck(client, retry, progress).exhaustedAfterDeletions(
                    identity.namespace(), identity.name(), message, newIdentities, replicas);
            if (full.isPresent()) {
                throw new OperationFailedException(full.get());
            }
            return; // pods being deleted make the room: ResourceQuotaCheck warned, naming them
        }
        if ((e.getCode() != 403 && e.getCode() != 422) || rbac || quotaFull) {
            progress.warn("the API server did not say whether it admits the pods of " + app + " (a dry run of "
                    + identity + "'s pod: HTTP " + e.getCode() + " " + message + ")"
                    + (quotaFull ? "; identities that need a new pod wait for quota" : "")
                    + "; rolling out without that check");
            return;
        }
        throw new OperationFailedException("stickyIpDeploy " + app + ": the API server refuses the app's pods, so no "
                + "identity could start; nothing in the cluster was changed. A dry run of " + identity
                + "'s pod was answered HTTP " + e.getCode() + ": " + message + ". " + hint(e.getCode(), lowered));
    }

    private static String hint(int code, String lowered) {
        if (lowered.contains("violates podsecurity")) {
            return "The namespace enforces a Pod Security Standard (label pod-security.kubernetes.io/enforce): set the "
                    + "securityContext fields named above in the workload template (the step's podTemplate or "
                    + "manifest), or run the app in a namespace whose level allows it.";
        }
        if (lowered.contains("error looking up service account")) {
            return "Create that service account in the namespace, or correct spec.serviceAccountName in the workload "
                    + "template.";
        }
        if (lowered.contains("failed quota")) {
            return "The namespace's ResourceQuota requires the resources named above: set them in the workload "
                    + "template's containers (resources.requests and resources.limits), or ask for a LimitRange that "
                    + "gives them defaults.";
        }
        if (code == 422 && lowered.contains("resources.requests")
                && lowered.contains("must be less than or equal to")) {
            return "A container requests more than its limit (resources.requests must not exceed resources.limits); "
                    + "a limit the namespace's LimitRange sets by default counts too: raise resources.limits in the "
                    + "workload template, or lower resources.requests.";
        }
        if (code == 422) {
            return "The workload template is invalid: correct the fields named above.";
        }
        return "An admission policy of the cluster refuses the pod: change the workload template as the message says, "
                + "or ask the cluster's administrator.";
    }
}
