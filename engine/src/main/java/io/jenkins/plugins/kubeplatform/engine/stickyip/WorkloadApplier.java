package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.Conflicts;
import io.jenkins.plugins.kubeplatform.engine.kube.SharedObjects;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes desired objects: create, or re-read and update with the live resourceVersion (retrying on 409), keeping
 * fields the API server owns. Transient errors go through {@link ApiRetry}. The only code of a deploy that changes
 * the cluster.
 */
final class WorkloadApplier {

    private static final int CONFLICT_ATTEMPTS = 5;

    private final KubernetesClient client;
    private final ApiRetry retry;

    WorkloadApplier(KubernetesClient client, ApiRetry retry) {
        this.client = client;
        this.retry = retry;
    }

    void create(Deployment desired) {
        String ref = ref(desired.getMetadata().getNamespace(), desired.getMetadata().getName());
        try {
            retry.call("create deployment " + ref, () -> client.apps().deployments()
                    .inNamespace(desired.getMetadata().getNamespace()).resource(desired).create());
        } catch (KubernetesClientException e) {
            if (Conflicts.isAlreadyExists(e)) {
                replace(desired); // created meanwhile by a concurrent run of the same deploy
                return;
            }
            throw failed("create deployment " + ref, e);
        }
    }

    /** Replaces labels, annotations and spec; the Recreate strategy stops the old pod before the new one starts. */
    void replace(Deployment desired) {
        String ns = desired.getMetadata().getNamespace();
        String name = desired.getMetadata().getName();
        try {
            Conflicts.retry("update deployment " + ref(ns, name), CONFLICT_ATTEMPTS, () -> {
                Deployment live = retry.call("get deployment " + ref(ns, name),
                        () -> client.apps().deployments().inNamespace(ns).withName(name).get());
                if (live == null) {
                    return retry.call("create deployment " + ref(ns, name),
                            () -> client.apps().deployments().inNamespace(ns).resource(desired).create());
                }
                live.getMetadata().setLabels(new HashMap<>(desired.getMetadata().getLabels()));
                live.getMetadata().setAnnotations(merged(live.getMetadata().getAnnotations(),
                        desired.getMetadata().getAnnotations()));
                live.setSpec(desired.getSpec());
                return retry.call("update deployment " + ref(ns, name),
                        () -> client.apps().deployments().inNamespace(ns).resource(live).update());
            });
        } catch (KubernetesClientException e) {
            throw failed("update deployment " + ref(ns, name), e);
        }
    }

    void createService(Service desired) {
        String ns = desired.getMetadata().getNamespace();
        try {
            retry.call("create service " + ref(ns, desired.getMetadata().getName()),
                    () -> client.services().inNamespace(ns).resource(desired).create());
        } catch (KubernetesClientException e) {
            if (Conflicts.isAlreadyExists(e)) {
                updateService(desired);
                return;
            }
            throw failed("create service " + ref(ns, desired.getMetadata().getName()), e);
        }
    }

    /**
     * Creates or updates the pull Secret (SIP-14); a Secret of that name that we do not manage is left alone and
     * fails the deploy. Returns whether anything was written. Its content never reaches a message.
     */
    boolean ensurePullSecret(Secret desired) {
        String ns = desired.getMetadata().getNamespace();
        String name = desired.getMetadata().getName();
        try {
            return Conflicts.retry("update secret " + ref(ns, name), CONFLICT_ATTEMPTS, () -> {
                Secret live = retry.call("get secret " + ref(ns, name),
                        () -> client.secrets().inNamespace(ns).withName(name).get());
                if (live == null) {
                    retry.call("create secret " + ref(ns, name),
                            () -> client.secrets().inNamespace(ns).resource(desired).create());
                    return true;
                }
                if (!StickyIpLabels.isManaged(live.getMetadata().getLabels())) {
                    throw new OperationFailedException("Secret " + ref(ns, name) + " exists but is not managed by "
                            + "kubernetes-platform-steps; remove it, or name your own pull secret in the template's "
                            + "imagePullSecrets. Nothing was changed.");
                }
                String want = desired.getMetadata().getAnnotations().get(StickyIpLabels.SPEC_HASH);
                if (live.getMetadata().getAnnotations() != null
                        && want.equals(live.getMetadata().getAnnotations().get(StickyIpLabels.SPEC_HASH))) {
                    return false;
                }
                live.setType(desired.getType());
                live.setData(desired.getData());
                live.setStringData(null);
                live.getMetadata().setLabels(merged(live.getMetadata().getLabels(), desired.getMetadata().getLabels()));
                live.getMetadata().setAnnotations(merged(live.getMetadata().getAnnotations(),
                        desired.getMetadata().getAnnotations()));
                retry.call("update secret " + ref(ns, name),
                        () -> client.secrets().inNamespace(ns).resource(live).update());
                return true;
            });
        } catch (KubernetesClientException e) {
            throw failed("write secret " + ref(ns, name), e);
        }
    }

    /** Updates selector, ports, labels and our annotations; keeps the cluster IP and everything else. */
    void updateService(Service desired) {
        String ns = desired.getMetadata().getNamespace();
        String name = desired.getMetadata().getName();
        try {
            Conflicts.retry("update service " + ref(ns, name), CONFLICT_ATTEMPTS, () -> {
                Service live = retry.call("get service " + ref(ns, name),
                        () -> client.services().inNamespace(ns).withName(name).get());
                if (live == null) {
                    return retry.call("create service " + ref(ns, name),
                            () -> client.services().inNamespace(ns).resource(desired).create());
                }
                // ports other steps added stay; a Service another step made keeps that step's ports as added ones
                Map<Integer, String> added = SharedObjects.addedPorts(live.getMetadata());
                String previousOwner = SharedObjects.ownerStep(live.getMetadata()).orElse(StickyIpLabels.STEP);
                if (!previousOwner.equals(StickyIpLabels.STEP)) {
                    SharedObjects.ownPorts(live).forEach(p -> added.putIfAbsent(p.getPort(), previousOwner));
                }
                Map<String, String> annotations = merged(live.getMetadata().getAnnotations(),
                        desired.getMetadata().getAnnotations());
                List<ServicePort> ports = new ArrayList<>(desired.getSpec().getPorts());
                Set<Integer> own = ports.stream().map(ServicePort::getPort).collect(java.util.stream.Collectors.toSet());
                added.keySet().removeAll(own);
                for (ServicePort p : SharedObjects.ports(live)) {
                    if (added.containsKey(p.getPort())) {
                        ports.add(p);
                    }
                }
                if (added.isEmpty()) {
                    annotations.remove(SharedObjects.ADDED_PORTS);
                } else {
                    annotations.put(SharedObjects.ADDED_PORTS, SharedObjects.addedPortsValue(added));
                }
                live.getMetadata().setLabels(new HashMap<>(desired.getMetadata().getLabels()));
                live.getMetadata().setAnnotations(annotations);
                live.getSpec().setSelector(desired.getSpec().getSelector());
                live.getSpec().setPorts(ports);
                return retry.call("update service " + ref(ns, name),
                        () -> client.services().inNamespace(ns).resource(live).update());
            });
        } catch (KubernetesClientException e) {
            throw failed("update service " + ref(ns, name), e);
        }
    }

    /**
     * Scales an identity's workload to zero, so that its pod is gone before the workload is deleted and the address
     * is free when the reservation is released (not whenever garbage collection gets to the pod).
     */
    void scaleToZero(ReplicaIdentity identity) {
        String ns = identity.namespace();
        String name = identity.workloadName();
        try {
            Conflicts.retry("scale deployment " + identity + " to 0", CONFLICT_ATTEMPTS, () -> {
                Deployment live = retry.call("get deployment " + ref(ns, name),
                        () -> client.apps().deployments().inNamespace(ns).withName(name).get());
                if (live == null || Integer.valueOf(0).equals(live.getSpec().getReplicas())) {
                    return live;
                }
                live.getSpec().setReplicas(0);
                return retry.call("update deployment " + ref(ns, name),
                        () -> client.apps().deployments().inNamespace(ns).resource(live).update());
            });
        } catch (KubernetesClientException e) {
            if (!Conflicts.isNotFound(e)) {
                throw failed("scale deployment " + ref(ns, name) + " to 0", e);
            }
        }
    }

    /** Deletes a workload; NotFound is success. */
    void delete(ReplicaIdentity identity) {
        try {
            retry.call("delete deployment " + identity, () -> client.apps().deployments()
                    .inNamespace(identity.namespace()).withName(identity.workloadName()).delete());
        } catch (KubernetesClientException e) {
            if (!Conflicts.isNotFound(e)) {
                throw failed("delete deployment " + identity, e);
            }
        }
    }

    private static java.util.Map<String, String> merged(java.util.Map<String, String> live, java.util.Map<String, String> ours) {
        java.util.Map<String, String> result = new HashMap<>(live == null ? java.util.Map.of() : live);
        result.keySet().removeIf(k -> k.startsWith("kubeplatform.jenkins.io/") && !ours.containsKey(k));
        result.putAll(ours);
        return result;
    }

    private static OperationFailedException failed(String what, KubernetesClientException e) {
        return new OperationFailedException("Could not " + what + ": " + ApiRetry.serverMessage(e), e);
    }

    private static String ref(String ns, String name) {
        return ns + "/" + name;
    }
}
