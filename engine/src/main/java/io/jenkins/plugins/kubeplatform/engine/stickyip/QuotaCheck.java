package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.PodQuotaUsage;
import io.jenkins.plugins.kubeplatform.engine.kube.QuotaFit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Whether the namespace's ResourceQuotas have room for every pod a deploy is about to add, before it writes anything.
 * The admission dry run ({@link PodAdmissionCheck}) asks about one pod only, and each identity's pod is created by its
 * own ReplicaSet: a quota with room for some of the new identities but not all would otherwise show only as the
 * identities that time out with their ReplicaSet's {@code exceeded quota} condition, after the others were written.
 * One LIST of the namespace's quotas; a credential that may not list them only skips the check, with a warning.
 */
final class QuotaCheck {

    private final KubernetesClient client;
    private final ApiRetry retry;
    private final Progress progress;

    QuotaCheck(KubernetesClient client, ApiRetry retry, Progress progress) {
        this.client = client;
        this.retry = retry;
        this.progress = progress;
    }

    /**
     * Fails when the quotas cannot fit {@code newIdentities} more pods like {@code admitted} (the pod as the server
     * admitted it in the dry run, LimitRange defaults included) for an app of {@code replicas} identities; warns when
     * they fit but {@code prePullPods} (created, and gone, before the new identities) do not.
     */
    void check(String namespace, String app, Pod admitted, int newIdentities, int replicas, List<Pod> prePullPods) {
        List<ResourceQuota> quotas;
        try {
            quotas = retry.call("list resourcequotas in " + namespace,
                    () -> client.resourceQuotas().inNamespace(namespace).list().getItems());
        } catch (KubernetesClientException e) {
            skipped(namespace, app, newIdentities, ApiRetry.serverMessage(e));
            return;
        } catch (OperationFailedException e) {
            skipped(namespace, app, newIdentities, e.getMessage());
            return;
        }
        List<QuotaFit.Shortfall> identities = QuotaFit.shortfalls(quotas, Collections.nCopies(newIdentities, admitted));
        if (!identities.isEmpty()) {
            throw new OperationFailedException(message(namespace, app, admitted, newIdentities, replicas, identities));
        }
        List<QuotaFit.Shortfall> prePull = QuotaFit.shortfalls(quotas, prePullPods);
        if (!prePull.isEmpty()) {
            List<String> parts = new ArrayList<>();
            prePull.forEach(s -> parts.add(describe(s) + ", the " + prePullPods.size() + " pre-pull pod(s) need "
                    + QuotaFit.format(s.resource(), s.needed())));
            progress.warn("the ResourceQuota of " + namespace + " has no room for the pre-pull pods of " + namespace
                    + "/" + app + " (" + String.join("; ", parts) + "): the pre-pull is skipped and the identities are "
                    + "replaced without it (each replacement then pulls its image itself)");
        }
    }

    private void skipped(String namespace, String app, int newIdentities, String why) {
        progress.warn("could not read the ResourceQuotas of namespace " + namespace + " (" + why + "); rolling out "
                + "without checking that they have room for the " + newIdentities + " new pod(s) of " + namespace + "/"
                + app + " (docs/rbac.yaml, role kubeplatform-stickyIpDeploy: list resourcequotas)");
    }

    private static String message(String namespace, String app, Pod admitted, int newIdentities, int replicas,
                                  List<QuotaFit.Shortfall> shortfalls) {
        var perPod = PodQuotaUsage.of(admitted);
        int fitting = newIdentities;
        List<String> parts = new ArrayList<>();
        for (QuotaFit.Shortfall s : shortfalls) {
            BigDecimal each = perPod.get(s.resource());
            fitting = Math.min(fitting, s.fitting(each));
            parts.add(describe(s) + ", the " + newIdentities + " new identities need "
                    + QuotaFit.format(s.resource(), s.needed()) + " (" + QuotaFit.format(s.resource(), each)
                    + " each): room for " + s.fitting(each));
        }
        return "stickyIpDeploy " + namespace + "/" + app + ": the namespace's ResourceQuota has no room for the pods "
                + "of all " + newIdentities + " new identities, so not every identity could start; nothing in the "
                + "cluster was changed. " + String.join("; ", parts) + ". Only " + fitting + " of the "
                + newIdentities + " new identities fit (replicas: at most " + (replicas - newIdentities + fitting)
                + "). Raise the quota (spec.hard), lower replicas, or free pods in namespace " + namespace
                + " (each pod counts with the requests and limits its LimitRange defaults give it).";
    }

    private static String describe(QuotaFit.Shortfall s) {
        return "quota " + s.quota() + ": " + s.resource() + " hard " + QuotaFit.format(s.resource(), s.hard())
                + ", used " + QuotaFit.format(s.resource(), s.used());
    }
}
