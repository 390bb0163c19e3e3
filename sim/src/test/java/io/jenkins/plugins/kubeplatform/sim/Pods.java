package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Test fixtures: pods and watch-based waiting (watch opened first, then the current state checked). */
public final class Pods {

    static final long TIMEOUT_SECONDS = 60;

    private Pods() {
    }

    public static PodBuilder pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").addToLabels("app", name)
                .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("nginx:1.27").endContainer()
                .endSpec();
    }

    /**
     * Adds a True pod condition (what a readiness-gate controller does). The kubelet writes the same pod's status, so
     * a 409 means re-read and try again, as any controller would.
     */
    public static void setCondition(KubernetesClient client, String namespace, String name, String type) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.pods().inNamespace(namespace).withName(name).editStatus(p -> {
                    java.util.List<io.fabric8.kubernetes.api.model.PodCondition> conditions =
                            new java.util.ArrayList<>(p.getStatus().getConditions());
                    conditions.add(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType(type)
                            .withStatus("True").build());
                    p.getStatus().setConditions(conditions);
                    return p;
                });
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    public static Pod create(KubernetesClient client, Pod pod) {
        return client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
    }

    /** Waits until the object (null when absent) satisfies the condition; returns it. */
    public static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T await(Resource<T> resource,
            Predicate<T> condition) {
        CompletableFuture<T> done = new CompletableFuture<>();
        try (Watch ignored = resource.watch(new Watcher<T>() {
            @Override
            public void eventReceived(Action action, T object) {
                T value = action == Action.DELETED ? null : object;
                if (condition.test(value)) {
                    done.complete(value);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                done.completeExceptionally(cause);
            }
        })) {
            T now = resource.get();
            if (condition.test(now)) {
                return now;
            }
            return done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (Exception e) {
            throw new AssertionError("condition not reached; last state: " + resource.get(), e);
        }
    }

    /** Waits (watch first, then the current list) until the pods labelled KEY=VALUE satisfy the condition. */
    public static List<Pod> awaitAll(KubernetesClient client, String ns, String key, String value,
            Predicate<List<Pod>> condition) {
        CompletableFuture<List<Pod>> done = new CompletableFuture<>();
        Runnable check = () -> {
            List<Pod> now = client.pods().inNamespace(ns).withLabel(key, value).list().getItems();
            if (condition.test(now)) {
                done.complete(now);
            }
        };
        try (Watch w = client.pods().inNamespace(ns).withLabel(key, value).watch(new Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                check.run();
            }

            @Override
            public void onClose(WatcherException cause) {
                done.completeExceptionally(cause);
            }
        })) {
            check.run();
            return done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (Exception e) {
            throw new AssertionError("pods " + key + "=" + value + " never matched; last: "
                    + client.pods().inNamespace(ns).withLabel(key, value).list().getItems(), e);
        }
    }

    public static Pod await(KubernetesClient client, String ns, String name, Predicate<Pod> condition) {
        return await(client.pods().inNamespace(ns).withName(name), p -> p != null && condition.test(p));
    }

    public static Pod awaitReady(KubernetesClient client, String ns, String name) {
        return await(client, ns, name, PodStates::isReady);
    }

    public static void awaitGone(KubernetesClient client, String ns, String name) {
        await(client.pods().inNamespace(ns).withName(name), p -> p == null);
    }

    /** Waits for an event about the object with this reason. */
    public static Event awaitEvent(KubernetesClient client, String ns, String involvedName, String reason) {
        Predicate<Event> match = e -> e != null && involvedName.equals(e.getInvolvedObject().getName())
                && reason.equals(e.getReason());
        CompletableFuture<Event> done = new CompletableFuture<>();
        try (Watch ignored = client.v1().events().inNamespace(ns).watch(new Watcher<Event>() {
            @Override
            public void eventReceived(Action action, Event e) {
                if (action != Action.DELETED && match.test(e)) {
                    done.complete(e);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                done.completeExceptionally(cause);
            }
        })) {
            for (Event e : client.v1().events().inNamespace(ns).list().getItems()) {
                if (match.test(e)) {
                    return e;
                }
            }
            return done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (Exception e) {
            throw new AssertionError("no " + reason + " event for " + involvedName, e);
        }
    }
}
