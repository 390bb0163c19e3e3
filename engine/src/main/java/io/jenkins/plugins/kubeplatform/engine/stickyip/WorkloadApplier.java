package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.Conflicts;
import io.jenkins.plugins.kubeplatform.engine.kube.SharedObjects;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes desired objects: create, or re-read and update with the live resourceVersion (retrying on 409), keeping
 * fields the API server owns. Transient errors go through {@link ApiRetry}. The only code of a deploy that changes
 * the cluster.
 */
final class WorkloadApplier {

    private static final int CONFLICT_ATTEMPTS = 5;
    /** The template annotation {@code kubectl rollout restart} sets; a new value makes the Deployment roll. */
    private static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

    private final KubernetesClient client;
    private final ApiRetry retry;

    private final Clock clock;

    /** @param clock stamps the restart annotation of a pod that could not be updated in place */
    WorkloadApplier(KubernetesClient client, ApiRetry retry, Clock clock) {
        this.client = client;
        this.retry = retry;
        this.clock = clock;
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

    /** How an in-place update ended. */
    sealed interface InPlace {
        /**
         * The pod took the new template: {@code restarts} is the restart count, at the time of the patch, of each
         * container whose image changed; the update is done once each of them ran again from its new image.
         */
        record Patched(String podUid, Map<String, Integer> restarts) implements InPlace {
        }

        /** The identity is replaced with Recreate semantics instead, for {@code reason}. */
        record Replaced(String reason) implements InPlace {
        }
    }

    /**
     * Updates an identity whose template differs from the live one only in images, keeping its pod (SIP-4), in four
     * writes and no reads (with the resume): the Deployment takes the new template while paused, so its controller starts no rollout;
     * the pod's ReplicaSet takes the same template (its {@code pod-template-hash} label stays), so that on resume the
     * controller finds it as the ReplicaSet of the new template (it compares templates ignoring that label) and
     * creates none; the pod takes the new images, and its kubelet restarts those containers in the same sandbox, with
     * the same node and address. The caller resumes the Deployment ({@link #resume}) once the pod runs the new images:
     * by then the deployment controller has long seen the ReplicaSet's new template, so resuming cannot race the
     * ReplicaSet's update into a new ReplicaSet (and a Recreate of the pod). The Deployment and ReplicaSet writes are JSON merge
     * patches of the whole template: containers are replaced as a list, and the maps (labels, annotations) hold the
     * same keys on both sides because only images differ. Where a step cannot be done (the ReplicaSet is gone, no
     * permission, the pod refused the patch) the Deployment is resumed so that it replaces the pod as a Recreate
     * rollout does.
     *
     * @param runningImages the images the pod runs now, by container: only changed containers must restart
     */
    InPlace updateInPlace(Deployment desired, ClusterView.LivePod pod, Map<String, String> runningImages) {
        String ns = desired.getMetadata().getNamespace();
        String name = desired.getMetadata().getName();
        PodTemplateSpec template = desired.getSpec().getTemplate();
        Map<String, Object> spec = Json.mapper().convertValue(desired.getSpec(), MAP);
        spec.put("paused", true);
        Map<String, Object> pause = new TreeMap<>(Map.of("metadata", Map.of("labels", desired.getMetadata().getLabels(),
                "annotations", desired.getMetadata().getAnnotations()), "spec", spec));
        try {
            retry.call("pause deployment " + ref(ns, name), () -> client.apps().deployments().inNamespace(ns)
                    .resource(named(new Deployment(), ns, name)).patch(PatchContext.of(PatchType.JSON_MERGE),
                            json(pause)));
        } catch (KubernetesClientException e) {
            throw failed("update deployment " + ref(ns, name), e);
        }
        try {
            ReplicaSet rs = named(new ReplicaSet(), ns, pod.replicaSet());
            retry.call("update replicaset " + ref(ns, pod.replicaSet()), () -> client.apps().replicaSets()
                    .inNamespace(ns).resource(rs).patch(PatchContext.of(PatchType.JSON_MERGE),
                            json(Map.of("spec", Map.of("template", template)))));
        } catch (KubernetesClientException e) {
            resume(ns, name, Optional.empty());
            return new InPlace.Replaced("could not update its ReplicaSet " + pod.replicaSet() + " ("
                    + ApiRetry.serverMessage(e) + ")");
        }
        Pod patched;
        try {
            patched = retry.call("patch pod " + ref(ns, pod.name()), () -> client.pods().inNamespace(ns)
                    .resource(named(new Pod(), ns, pod.name())).patch(PatchContext.of(PatchType.STRATEGIC_MERGE), podPatch(template)));
        } catch (KubernetesClientException e) {
            // the ReplicaSet has the new template: a pod that is gone comes back from it; one that refused the patch
            // is replaced through a restart annotation on the template, as kubectl rollout restart does
            resume(ns, name, Conflicts.isNotFound(e) ? Optional.empty() : Optional.of(clock.instant().toString()));
            return new InPlace.Replaced("pod " + pod.name() + " could not be updated in place ("
                    + ApiRetry.serverMessage(e) + ")");
        }
        Map<String, Integer> restarts = new TreeMap<>();
        images(template).forEach((container, image) -> {
            if (!image.equals(runningImages.get(container))) {
                restarts.put(container, restartCount(patched, container));
            }
        });
        return new InPlace.Patched(patched.getMetadata().getUid(), restarts);
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> MAP =
            new com.fasterxml.jackson.core.type.TypeReference<>() {
            };

    /** Unpauses an identity's Deployment paused by {@link #updateInPlace}; a Deployment that is gone is left so. */
    void resume(ReplicaIdentity identity) {
        resume(identity.namespace(), identity.workloadName(), Optional.empty());
    }

    /** Unpauses; with {@code restartedAt}, also stamps the template so that the pod is replaced. */
    private void resume(String ns, String name, Optional<String> restartedAt) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("paused", null);
        restartedAt.ifPresent(at -> spec.put("template", Map.of("metadata", Map.of("annotations",
                Map.of(RESTARTED_AT, at)))));
        Deployment target = named(new Deployment(), ns, name);
        try {
            retry.call("resume deployment " + ref(ns, name), () -> client.apps().deployments().inNamespace(ns)
                    .resource(target).patch(PatchContext.of(PatchType.JSON_MERGE), json(Map.of("spec", spec))));
        } catch (KubernetesClientException e) {
            if (Conflicts.isNotFound(e)) {
                return;
            }
            throw new OperationFailedException("Could not resume deployment " + ref(ns, name) + ", which is paused "
                    + "for an in-place update: " + ApiRetry.serverMessage(e) + ". Resume it with kubectl rollout "
                    + "resume deployment/" + name + " -n " + ns + ".", e);
        }
    }

    /**
     * {@code blank} naming only an object's namespace and name: patched through such an item, fabric8 sends the patch
     * without reading the object first ({@code withName(..).patch(..)} would).
     */
    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T named(T blank, String ns, String name) {
        blank.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withNamespace(ns).withName(name)
                .build());
        return blank;
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a patch", e);
        }
    }

    /**
     * A strategic merge patch giving a pod the template's annotations and container images (containers merge by
     * name). Init containers are not in it: their images are part of the shape hash, so they never differ here.
     */
    private static String podPatch(PodTemplateSpec template) {
        Map<String, Object> patch = new TreeMap<>();
        patch.put("metadata", Map.of("annotations", template.getMetadata().getAnnotations()));
        patch.put("spec", Map.of("containers", namesAndImages(template.getSpec().getContainers())));
        return json(patch);
    }

    private static List<Map<String, String>> namesAndImages(List<Container> containers) {
        return containers.stream().map(c -> Map.of("name", c.getName(), "image", c.getImage())).toList();
    }

    /** Image by container name. */
    private static Map<String, String> images(PodTemplateSpec template) {
        Map<String, String> images = new TreeMap<>();
        template.getSpec().getContainers().forEach(c -> images.put(c.getName(), String.valueOf(c.getImage())));
        return images;
    }

    private static int restartCount(Pod pod, String container) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return 0;
        }
        return pod.getStatus().getContainerStatuses().stream().filter(s -> container.equals(s.getName()))
                .map(ContainerStatus::getRestartCount).filter(java.util.Objects::nonNull).findFirst().orElse(0);
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
