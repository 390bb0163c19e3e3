package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.controllers.PodStates;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Test fixtures: pods and watch-based waiting. */
public final class Pods {

    private Pods() {
    }

    public static PodBuilder pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").addToLabels("app", name)
                .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("nginx:1.27").endContainer()
                .endSpec();
    }

    public static Pod create(KubernetesClient client, Pod pod) {
        return client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
    }

    /** Waits (by watch) until the pod satisfies the condition. */
    public static Pod await(KubernetesClient client, String ns, String name, Predicate<Pod> condition) {
        return client.pods().inNamespace(ns).withName(name).waitUntilCondition(p -> p != null && condition.test(p),
                60, TimeUnit.SECONDS);
    }

    public static Pod awaitReady(KubernetesClient client, String ns, String name) {
        return await(client, ns, name, PodStates::isReady);
    }

    public static void awaitGone(KubernetesClient client, String ns, String name) {
        client.pods().inNamespace(ns).withName(name).waitUntilCondition(p -> p == null, 60, TimeUnit.SECONDS);
    }

    /** Waits (by watch) for an event about the object with this reason. */
    public static Event awaitEvent(KubernetesClient client, String ns, String involvedName, String reason) {
        Predicate<Event> match = e -> involvedName.equals(e.getInvolvedObject().getName())
                && reason.equals(e.getReason());
        List<Event> existing = client.v1().events().inNamespace(ns).list().getItems();
        for (Event e : existing) {
            if (match.test(e)) {
                return e;
            }
        }
        var informer = client.v1().events().inNamespace(ns).inform();
        try {
            return informer.getStore().list().stream().filter(match).findFirst().orElseGet(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                java.util.concurrent.CompletableFuture<Event> found = new java.util.concurrent.CompletableFuture<>();
                informer.addEventHandler(new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Event e) {
                        if (match.test(e)) {
                            found.complete(e);
                        }
                    }

                    @Override
                    public void onUpdate(Event o, Event e) {
                        onAdd(e);
                    }

                    @Override
                    public void onDelete(Event e, boolean unknown) {
                    }
                });
                try {
                    return found.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    throw new AssertionError("no " + reason + " event for " + involvedName, e);
                }
            });
        } finally {
            informer.close();
        }
    }
}
