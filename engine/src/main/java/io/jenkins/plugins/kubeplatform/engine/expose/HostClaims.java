package io.jenkins.plugins.kubeplatform.engine.expose;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.Conflicts;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Host claims kept in the cluster, one ConfigMap per host (named after the host) in the claim namespace. The API
 * server creates a name at most once, so "already exists" means taken, across concurrent builds and across
 * Jenkins controllers and CLI runs that share the cluster.
 */
public final class HostClaims {

    /** Label on every claim object. */
    public static final String CLAIM_LABEL = ExposeLabels.PREFIX + "host-claim";

    private final KubernetesClient client;
    private final String namespace;
    private final ApiRetry retry;

    public HostClaims(KubernetesClient client, String namespace, ApiRetry retry) {
        this.client = client;
        this.namespace = namespace;
        this.retry = retry;
    }

    public String namespace() {
        return namespace;
    }

    /** The outcome of a claim attempt. */
    public sealed interface Outcome {
        /** The host was free and is now ours. */
        record Claimed(HostClaim claim) implements Outcome {
        }

        /** The host was already ours (a re-run). */
        record AlreadyOurs(HostClaim claim) implements Outcome {
        }

        /** Another owner holds the host. */
        record TakenBy(HostClaim holder) implements Outcome {
        }
    }

    public Optional<HostClaim> find(String host) {
        ConfigMap cm = retry.call("read the claim of host " + host,
                () -> client.configMaps().inNamespace(namespace).withName(host).get());
        return Optional.ofNullable(cm).map(HostClaims::fromConfigMap);
    }

    /** Claims {@code wanted.host()} for {@code wanted.owner()}: one GET when already decided, else one create. */
    public Outcome claim(HostClaim wanted) {
        Optional<HostClaim> existing = find(wanted.host());
        if (existing.isPresent()) {
            return decide(wanted, existing.get());
        }
        try {
            retry.call("claim host " + wanted.host(),
                    () -> client.configMaps().inNamespace(namespace).resource(toConfigMap(wanted)).create());
            return new Outcome.Claimed(wanted);
        } catch (KubernetesClientException e) {
            if (Conflicts.isAlreadyExists(e)) {
                HostClaim holder = find(wanted.host()).orElseThrow(() -> new OperationFailedException(
                        "Host " + wanted.host() + " was claimed and released by someone else while we claimed it; retry"));
                return decide(wanted, holder);
            }
            if (Conflicts.isNotFound(e)) {
                throw new OperationFailedException("Could not claim host " + wanted.host() + ": namespace '" + namespace
                        + "' for host claims does not exist; create it (kubectl create namespace " + namespace
                        + ") or set domains.claimNamespace", e);
            }
            throw new OperationFailedException("Could not claim host " + wanted.host() + ": "
                    + ApiRetry.serverMessage(e), e);
        }
    }

    /** What {@link #claim} would decide now, without writing: Claimed when the host is free. */
    public Outcome peek(HostClaim wanted) {
        return find(wanted.host()).map(existing -> decide(wanted, existing)).orElseGet(() -> new Outcome.Claimed(wanted));
    }

    /** The claim object {@link #claim} creates for {@code claim}. */
    public ConfigMap desired(HostClaim claim) {
        ConfigMap cm = toConfigMap(claim);
        cm.getMetadata().setNamespace(namespace);
        return cm;
    }

    /** Sends the creation of {@code claim}'s object with dryRun=All (the server checks it and stores nothing). */
    public void claimDryRun(HostClaim claim) {
        retry.call("claim host " + claim.host() + " (dry run)",
                () -> client.configMaps().inNamespace(namespace).resource(toConfigMap(claim)).dryRun().create());
    }

    /** Sends the deletion of {@code host}'s claim with dryRun=All. */
    public void releaseDryRun(String host) {
        retry.run("release host " + host + " (dry run)",
                () -> client.configMaps().inNamespace(namespace).withName(host).dryRun().delete());
    }

    /** Deletes the claim if it still belongs to {@code owner}; returns whether it did. NotFound counts as done. */
    public boolean release(String host, Owner owner) {
        Optional<HostClaim> current = find(host);
        if (current.isEmpty() || !current.get().owner().equals(owner)) {
            return false;
        }
        retry.run("release host " + host, () -> client.configMaps().inNamespace(namespace).withName(host).delete());
        return true;
    }

    public List<HostClaim> list() {
        return retry.call("list host claims", () -> client.configMaps().inNamespace(namespace)
                        .withLabel(CLAIM_LABEL, "true").list().getItems())
                .stream().map(HostClaims::fromConfigMap).toList();
    }

    private static Outcome decide(HostClaim wanted, HostClaim holder) {
        return holder.owner().equals(wanted.owner()) ? new Outcome.AlreadyOurs(holder) : new Outcome.TakenBy(holder);
    }

    static ConfigMap toConfigMap(HostClaim claim) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("host", claim.host());
        data.put("namespace", claim.owner().namespace());
        data.put("app", claim.owner().app());
        data.put("requestedBy", claim.requestedBy());
        data.put("claimedAt", claim.claimedAt().toString());
        if (claim.upstream() != null) {
            data.put("upstream", claim.upstream());
        }
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(claim.host())
                .addToLabels(ExposeLabels.MANAGED_BY, ExposeLabels.MANAGER)
                .addToLabels(CLAIM_LABEL, "true")
                .addToLabels(ExposeLabels.NAMESPACE, claim.owner().namespace())
                .endMetadata()
                .withData(data)
                .build();
    }

    static HostClaim fromConfigMap(ConfigMap cm) {
        Map<String, String> d = cm.getData() == null ? Map.of() : cm.getData();
        Instant at;
        try {
            at = Instant.parse(d.getOrDefault("claimedAt", ""));
        } catch (java.time.format.DateTimeParseException e) {
            at = Instant.EPOCH;
        }
        return new HostClaim(d.getOrDefault("host", cm.getMetadata().getName()),
                new Owner(d.getOrDefault("namespace", ""), d.getOrDefault("app", "")),
                d.getOrDefault("requestedBy", "unknown"), at, d.get("upstream"));
    }
}
