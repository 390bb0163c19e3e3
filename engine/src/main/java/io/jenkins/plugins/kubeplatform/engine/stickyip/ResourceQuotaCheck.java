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
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the namespace's ResourceQuotas have room for every pod a deploy is about to add, before it writes anything.
 * The admission dry run ({@link PodAdmissionCheck}) asks about one pod only, and each identity's pod is created by its
 * own ReplicaSet: a quota with room for some of the new identities but not all would otherwise show only as the
 * identities that time out with their ReplicaSet's {@code exceeded quota} condition, after the others were written.
 * One LIST of the namespace's quotas; a credential that may not list them only skips the check, with a warning.
 */
final class ResourceQuotaCheck {

    private final KubernetesClient client;
    private final ApiRetry retry;
    private final Progress progress;

    ResourceQuotaCheck(KubernetesClient client, ApiRetry retry, Progress progress) {
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
        List<QuotaFit.Shortfall> identities = afterDeletions(namespace, app, quotas,
                QuotaFit.shortfalls(quotas, Collections.nCopies(newIdentities, admitted)), newIdentities);
        if (!identities.isEmpty()) {
            throw new OperationFailedException(message(namespace, app, PodQuotaUsage.of(admitted), newIdentities,
                    replicas, identities));
        }
        List<QuotaFit.Shortfall> prePull = QuotaFit.shortfalls(quotas, prePullPods);
        if (!prePull.isEmpty()) {
            List<String> parts = new ArrayList<>();
            prePull.forEach(s -> parts.add(describe(s) + ", the " + prePullPods.size() + " pre-pull pod(s) need "
                    + QuotaFit.format(s.resource(), s.needed())));
            progress.warn("the ResourceQuota of " + namespace + " has no room for the pre-pull pods of " + namespace
                    + "/" + app + " (" + String.join("; ", parts) + "): the pre-pull will stop at the first refused "
                    + "pod and the identities be replaced without it (each replacement then pulls its image itself)");
        }
    }

    /**
     * The shortfalls that stand once the namespace's pods being deleted are gone; none when those pods make up for
     * every one (then a warning says the new pods wait for them). A quota still charges a pod that is being deleted
     * until its grace period has passed ({@code QuotaV1Pod} in pods.go), and a ReplicaSet retries a create the quota
     * refused, so such a shortfall is a wait, not a failure: an app torn down just before (its pods terminating)
     * must not fail the deploy that replaces it. One LIST of the namespace's pods, made only when something falls
     * short; without it (or without the quotas, to match their scopes) the shortfalls stand as they are.
     *
     * @param quotas the namespace's quotas, or null to list them
     */
    private List<QuotaFit.Shortfall> afterDeletions(String namespace, String app, List<ResourceQuota> quotas,
                                                    List<QuotaFit.Shortfall> shortfalls, int newIdentities) {
        if (shortfalls.isEmpty()) {
            return shortfalls;
        }
        List<Pod> leaving;
        List<ResourceQuota> scopes;
        try {
            leaving = retry.call("list pods in " + namespace, () -> client.pods().inNamespace(namespace).list()
                    .getItems()).stream().filter(p -> p.getMetadata().getDeletionTimestamp() != null
                            && p.getSpec() != null).toList();
            scopes = quotas != null ? quotas : retry.call("list resourcequotas in " + namespace,
                    () -> client.resourceQuotas().inNamespace(namespace).list().getItems());
        } catch (KubernetesClientException | OperationFailedException e) {
            return shortfalls;
        }
        Optional<List<String>> freed = freedByDeletions(shortfalls, scopes, leaving);
        if (freed.isEmpty()) {
            return shortfalls;
        }
        progress.warn("the ResourceQuota of " + namespace + " has room for the " + newIdentities + " new pod(s) of "
                + namespace + "/" + app + " only once the " + leaving.size() + " pod(s) being deleted there are gone ("
                + String.join("; ", freed.get()) + "): their ReplicaSets are refused until then and retry");
        return List.of();
    }

    /**
     * Whether the pods being deleted ({@code leaving}) make up for every shortfall: for each, what they free of its
     * resource among the pods in its quota's scope, described; empty when one shortfall stays (or its quota is not
     * among {@code quotas}).
     */
    static Optional<List<String>> freedByDeletions(List<QuotaFit.Shortfall> shortfalls, List<ResourceQuota> quotas,
                                                   List<Pod> leaving) {
        List<String> parts = new ArrayList<>();
        for (QuotaFit.Shortfall s : shortfalls) {
            Optional<ResourceQuota> quota = quotas.stream().filter(q -> s.quota().equals(
                    q.getMetadata().getNamespace() + "/" + q.getMetadata().getName())).findFirst();
            if (quota.isEmpty()) {
                return Optional.empty();
            }
            BigDecimal freed = leaving.stream().filter(p -> PodQuotaUsage.inScope(quota.get(), p))
                    .map(p -> PodQuotaUsage.of(p).getOrDefault(s.resource(), BigDecimal.ZERO))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            if (s.used().subtract(freed).add(s.needed()).compareTo(s.hard()) > 0) {
                return Optional.empty();
            }
            parts.add(describe(s) + ", of which " + QuotaFit.format(s.resource(), freed) + " by pods being deleted");
        }
        return Optional.of(parts);
    }

    private void skipped(String namespace, String app, int newIdentities, String why) {
        progress.warn("could not read the ResourceQuotas of namespace " + namespace + " (" + why + "); rolling out "
                + "without checking that they have room for the " + newIdentities + " new pod(s) of " + namespace + "/"
                + app + " (docs/rbac.yaml, role kubeplatform-stickyIpDeploy: list resourcequotas)");
    }

    /**
     * The failure for a dry run refused with {@code exceeded quota} when the plan creates {@code newIdentities}: the
     * server found no room for one pod, so there is none for a new identity (replacements only trade a pod for a
     * pod; removals come after the rollout). Empty when {@code serverMessage} is not in the form the quota
     * admission writes ({@code exceeded quota: NAME, requested: R=Q,..., used: ..., limited: ...}, CheckRequest in
     * k8s.io/apiserver pkg/admission/plugin/resourcequota/controller.go).
     */
    static Optional<String> exhausted(String namespace, String app, String serverMessage, int newIdentities,
                                      int replicas) {
        return exceeded(namespace, serverMessage, newIdentities).map(e -> message(namespace, app, e.perPod(),
                newIdentities, replicas, e.shortfalls()));
    }

    /**
     * {@link #exhausted}, unless the namespace's pods being deleted make up for the shortfall (see
     * {@link #afterDeletions}): then empty, with a warning.
     */
    Optional<String> exhaustedAfterDeletions(String namespace, String app, String serverMessage, int newIdentities,
                                             int replicas) {
        return exceeded(namespace, serverMessage, newIdentities).flatMap(e -> afterDeletions(namespace, app, null,
                e.shortfalls(), newIdentities).isEmpty() ? Optional.empty()
                : Optional.of(message(namespace, app, e.perPod(), newIdentities, replicas, e.shortfalls())));
    }

    /** What one pod requested and each resource's shortfall for {@code newIdentities}, as the refusal states them. */
    private record Exceeded(Map<String, BigDecimal> perPod, List<QuotaFit.Shortfall> shortfalls) {
    }

    private static Optional<Exceeded> exceeded(String namespace, String serverMessage, int newIdentities) {
        Matcher m = EXCEEDED.matcher(serverMessage);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            Map<String, BigDecimal> requested = resourceList(m.group(2));
            Map<String, BigDecimal> used = resourceList(m.group(3));
            Map<String, BigDecimal> limited = resourceList(m.group(4));
            List<QuotaFit.Shortfall> shortfalls = new ArrayList<>();
            for (Map.Entry<String, BigDecimal> hard : limited.entrySet()) {
                BigDecimal each = requested.get(hard.getKey());
                if (each == null || each.signum() <= 0 || !used.containsKey(hard.getKey())) {
                    return Optional.empty();
                }
                shortfalls.add(new QuotaFit.Shortfall(namespace + "/" + m.group(1), hard.getKey(), hard.getValue(),
                        used.get(hard.getKey()), each.multiply(BigDecimal.valueOf(newIdentities))));
            }
            // never empty: a list without an entry is not a quantity list
            return Optional.of(new Exceeded(requested, shortfalls));
        } catch (IllegalArgumentException notAQuantity) {
            return Optional.empty();
        }
    }

    private static final Pattern EXCEEDED = Pattern.compile(
            "exceeded quota: ([^,\\s]+), requested: (\\S+), used: (\\S+), limited: (\\S+)");

    /** {@code pods=1,requests.cpu=300m} (the admission's {@code prettyPrint}) as exact amounts. */
    private static Map<String, BigDecimal> resourceList(String text) {
        Map<String, BigDecimal> out = new TreeMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(part);
            }
            out.put(part.substring(0, eq), new Quantity(part.substring(eq + 1)).getNumericalAmount());
        }
        return out;
    }

    private static String message(String namespace, String app, Map<String, BigDecimal> perPod, int newIdentities,
                                  int replicas, List<QuotaFit.Shortfall> shortfalls) {
        boolean one = newIdentities == 1;
        int fitting = newIdentities;
        List<String> parts = new ArrayList<>();
        for (QuotaFit.Shortfall s : shortfalls) {
            BigDecimal each = perPod.get(s.resource());
            fitting = Math.min(fitting, s.fitting(each));
            parts.add(describe(s) + ", " + (one ? "the new identity needs " : "the " + newIdentities
                    + " new identities need ") + QuotaFit.format(s.resource(), s.needed())
                    + (one ? "" : " (" + QuotaFit.format(s.resource(), each) + " each)") + ": room for "
                    + s.fitting(each));
        }
        int atMost = replicas - newIdentities + fitting;
        return "stickyIpDeploy " + namespace + "/" + app + ": the namespace's ResourceQuota has no room for the pods "
                + "of " + (one ? "the new identity" : "all " + newIdentities + " new identities") + ", so not every "
                + "identity could start; nothing in the cluster was changed. " + String.join("; ", parts) + ". "
                + (one ? "The new identity does not fit" : "Only " + fitting + " of the " + newIdentities
                + " new identities fit") + " (replicas: at most " + atMost + "). Raise the quota (spec.hard), "
                + (atMost > 0 ? "lower replicas, " : "") + "or free pods in namespace " + namespace + " (each pod "
                + "counts with the requests and limits its LimitRange defaults give it).";
    }

    private static String describe(QuotaFit.Shortfall s) {
        return "quota " + s.quota() + ": " + s.resource() + " hard " + QuotaFit.format(s.resource(), s.hard())
                + ", used " + QuotaFit.format(s.resource(), s.used());
    }
}
