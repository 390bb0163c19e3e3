package io.jenkins.plugins.kubeplatform.sim.controllers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatus;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.jenkins.plugins.kubeplatform.sim.ChangeHandler;
import io.jenkins.plugins.kubeplatform.sim.Observed;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import io.jenkins.plugins.kubeplatform.sim.quota.QuotaStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps each ResourceQuota's {@code status.hard} and {@code status.used} current ({@link QuotaStatus}), as
 * kube-controller-manager's resource quota controller does: on every change of a quota, on the changes of the objects
 * it counts that the replenishment controller follows (pods, services, configmaps, secrets, deployments; a pod that
 * turns terminal or goes away frees its compute usage), and on a full resync every five minutes
 * ({@code --resource-quota-sync-period}) for the other kinds. The objects are listed from the server when the quota
 * is synced, not from a watch cache, and the status is written at the quota's version read first, so a count never
 * undoes usage that admission charged since (the write conflicts and the quota is synced again).
 */
public final class ResourceQuotaController implements SimController {

    private static final Duration RESYNC = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The API version served for each group whose objects a quota can count. */
    private static final Map<String, String> VERSIONS = Map.of("", "v1", "apps", "v1", "batch", "v1", "policy", "v1",
            "networking.k8s.io", "v1", "discovery.k8s.io", "v1", "coordination.k8s.io", "v1",
            "rbac.authorization.k8s.io", "v1", "autoscaling", "v2");

    private SimContext ctx;
    private Observed<ResourceQuota> quotas;
    private ReconcileQueue<ResourceQuota> reconciles;

    @Override
    public String name() {
        return "resourcequota-controller";
    }

    @Override
    public void start(SimContext context) {
        this.ctx = context;
        this.reconciles = new ReconcileQueue<>(ctx, (ns, name) -> quotas.get(ns, name), this::sync);
        this.quotas = ctx.observe(ctx.client().resourceQuotas().inAnyNamespace(), new ChangeHandler<>() {
            @Override
            public void changed(ResourceQuota quota) {
                reconciles.add(quota);
            }
        });
        follow(ctx.client().pods().inAnyNamespace());
        follow(ctx.client().services().inAnyNamespace());
        follow(ctx.client().configMaps().inAnyNamespace());
        follow(ctx.client().secrets().inAnyNamespace());
        follow(ctx.client().apps().deployments().inAnyNamespace());
        ctx.after(RESYNC, this::resync);
    }

    /** Syncs the quotas of an object's namespace when it changes or goes away (the replenishment controller). */
    private <T extends HasMetadata, L extends KubernetesResourceList<T>> void follow(
            FilterWatchListDeletable<T, L, ?> source) {
        ctx.observe(source, new ChangeHandler<>() {
            @Override
            public void changed(T object) {
                namespaceChanged(object.getMetadata().getNamespace());
            }

            @Override
            public void deleted(T object) {
                namespaceChanged(object.getMetadata().getNamespace());
            }
        });
    }

    private void namespaceChanged(String namespace) {
        if (quotas != null && namespace != null) {
            quotas.inNamespace(namespace).forEach(reconciles::add);
        }
    }

    private void resync() {
        quotas.list().forEach(reconciles::add);
        ctx.after(RESYNC, this::resync);
    }

    private void sync(ResourceQuota cached) {
        String ns = cached.getMetadata().getNamespace();
        ResourceQuota quota = ctx.client().resourceQuotas().inNamespace(ns).withName(cached.getMetadata().getName())
                .get();
        if (quota == null) {
            return;
        }
        JsonNode status = QuotaStatus.sync(JSON.valueToTree(quota), (group, resource) -> list(ns, group, resource),
                ctx.clock().instant()).orElse(null);
        if (status == null) {
            return;
        }
        ResourceQuotaStatus written;
        try {
            written = JSON.treeToValue(status, ResourceQuotaStatus.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("quota status does not map to ResourceQuotaStatus", e);
        }
        // counted at this version: a conflict means admission charged since, and its watch event syncs again
        Writes.updateStatusOnce(ctx.client(), quota, q -> {
            q.setStatus(written);
            return true;
        }).ifPresent(quotas::put);
    }

    /** The objects listed from the server; empty for a group not served here (a custom resource's). */
    private Optional<List<JsonNode>> list(String namespace, String group, String resource) {
        String version = VERSIONS.get(group);
        List<JsonNode> items = new ArrayList<>();
        if (version == null) {
            return Optional.empty();
        }
        String path = (group.isEmpty() ? "/api/v1" : "/apis/" + group + "/" + version) + "/namespaces/" + namespace
                + "/" + resource;
        String body = ctx.client().raw(path);
        if (body == null) {
            return Optional.empty();
        }
        try {
            JSON.readTree(body).path("items").forEach(items::add);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable list of " + path, e);
        }
        return Optional.of(items);
    }
}
