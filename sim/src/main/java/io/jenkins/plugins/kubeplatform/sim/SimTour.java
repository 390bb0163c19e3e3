package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.Watchable;
import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A short guided tour of a simulated cluster for {@code kubeplatform demo}: nodes, a Deployment rolled out, a
 * pinned Calico address and a conflicting second claim, and an eviction refused by a disruption budget. Creates
 * its objects in namespace {@code sim-tour}.
 */
public final class SimTour {

    static final String NS = "sim-tour";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private SimTour() {
    }

    /** Runs the tour, reporting one line per step. */
    public static void run(SimulatedCluster sim, Consumer<String> out) {
        KubernetesClient c = sim.client();
        for (Node n : c.nodes().list().getItems()) {
            out.accept("node " + n.getMetadata().getName() + " zone "
                    + n.getMetadata().getLabels().get(SimNode.ZONE_LABEL) + " ready " + NodeConditions.isReady(n));
        }
        c.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(NS)
                .endMetadata().build()).createOr(existing -> existing.update());
        c.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder().withNewMetadata().withName("web")
                .withNamespace(NS).endMetadata().withNewSpec().withReplicas(2).withNewSelector()
                .addToMatchLabels("app", "web").endSelector().withNewTemplate().withNewMetadata()
                .addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer().withName("web")
                .withImage("nginx:1.27").endContainer().endSpec().endTemplate().endSpec().build()).create();
        await(c.apps().deployments().inNamespace(NS).withName("web"), d -> d != null && d.getStatus() != null
                && Integer.valueOf(2).equals(d.getStatus().getAvailableReplicas()));
        for (Pod p : c.pods().inNamespace(NS).withLabel("app", "web").list().getItems()) {
            out.accept("deployment web: pod " + p.getMetadata().getName() + " on " + p.getSpec().getNodeName()
                    + " ip " + p.getStatus().getPodIP() + " ready");
        }
        String ip = "10.42.250.10";
        c.pods().inNamespace(NS).resource(pinned("pinned-a", ip)).create();
        Pod a = await(c.pods().inNamespace(NS).withName("pinned-a"), p -> p != null && PodStates.isReady(p));
        out.accept("pod pinned-a asked for " + ip + " and got " + a.getStatus().getPodIP());
        c.pods().inNamespace(NS).resource(pinned("pinned-b", ip)).create();
        var event = await(c.v1().events().inNamespace(NS), e -> true, () ->
                c.v1().events().inNamespace(NS).list().getItems().stream().filter(e -> "pinned-b".equals(
                        e.getInvolvedObject().getName()) && "FailedCreatePodSandBox".equals(e.getReason()))
                        .findFirst().orElse(null));
        out.accept("pod pinned-b asked for the same address: stays ContainerCreating, Warning "
                + event.getReason() + ": " + event.getMessage());
        c.policy().v1().podDisruptionBudget().inNamespace(NS).resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("web").withNamespace(NS).endMetadata().withNewSpec()
                .withMinAvailable(new IntOrString(2)).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .endSpec().build()).create();
        String victim = c.pods().inNamespace(NS).withLabel("app", "web").list().getItems().get(0).getMetadata()
                .getName();
        boolean evicted = c.pods().inNamespace(NS).withName(victim).evict();
        out.accept("evicting " + victim + " with a budget of minAvailable 2: " + (evicted ? "evicted"
                : "refused (429: " + EvictionHandler.VIOLATION + ")"));
        out.accept(sim.requests().count() + " API requests made by this tour");
    }

    private static Pod pinned(String name, String ip) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .addToAnnotations(Cni.CALICO.ipAnnotation(), "[\"" + ip + "\"]").endMetadata().withNewSpec()
                .addNewContainer().withName("app").withImage("nginx:1.27").endContainer().endSpec().build();
    }

    private static <T extends HasMetadata> T await(Resource<T> resource, Predicate<T> condition) {
        return await(resource, condition, resource::get);
    }

    /** Waits by watch (opened before the first check) until {@code current} satisfies the condition. */
    private static <T extends HasMetadata, W extends HasMetadata> W await(Watchable<T> watched, Predicate<W> condition,
            java.util.function.Supplier<W> current) {
        CompletableFuture<W> done = new CompletableFuture<>();
        Runnable check = () -> {
            W now = current.get();
            if (now != null && condition.test(now)) {
                done.complete(now);
            }
        };
        try (Watch ignored = watched.watch(new Watcher<T>() {
            @Override
            public void eventReceived(Action action, T object) {
                check.run();
            }

            @Override
            public void onClose(WatcherException cause) {
                done.completeExceptionally(cause);
            }
        })) {
            check.run();
            return done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("the simulated cluster did not get there in " + WAIT.toSeconds() + " s", e);
        }
    }
}
