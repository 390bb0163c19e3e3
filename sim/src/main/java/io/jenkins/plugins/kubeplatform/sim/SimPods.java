package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.api.model.ContainerStateRunningBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.NoSuchElementException;

/**
 * Pod actions a test can trigger. A restart is what the kubelet does when a container exits: the restart count
 * goes up, the containers and the pod become not ready, and the simulated kubelet makes them ready again after
 * the readiness delay.
 */
public final class SimPods {

    private final KubernetesClient client;
    private final Clock clock;

    SimPods(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * Creates {@code pod} and then reports the status it carries through pods/status, as a client of a real API
     * server must (a create starts a pod Pending; its status is the kubelet's to write): for scenarios whose pods no
     * simulated kubelet runs. The QoS class the server computed is kept when the given status has none. Returns the
     * pod as stored.
     */
    public static Pod createWithStatus(KubernetesClient client, Pod pod) {
        Pod copy = client.getKubernetesSerialization().clone(pod);
        io.fabric8.kubernetes.api.model.PodStatus wanted = copy.getStatus();
        copy.setStatus(null);
        Pod created = client.pods().inNamespace(copy.getMetadata().getNamespace()).resource(copy).create();
        if (wanted == null) {
            return created;
        }
        if (wanted.getQosClass() == null && created.getStatus() != null) {
            wanted.setQosClass(created.getStatus().getQosClass());
        }
        created.setStatus(wanted);
        return client.pods().inNamespace(created.getMetadata().getNamespace()).resource(created).updateStatus();
    }

    /** Restarts every container of a running pod. */
    public void restart(String namespace, String name) {
        Pod pod = client.pods().inNamespace(namespace).withName(name).get();
        if (pod == null) {
            throw new NoSuchElementException("no pod " + namespace + "/" + name);
        }
        if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) {
            throw new IllegalStateException("pod " + namespace + "/" + name + " is not running");
        }
        String now = clock.instant().toString();
        client.pods().inNamespace(namespace).withName(name).editStatus(p -> {
            if (p.getStatus().getContainerStatuses() != null) {
                for (ContainerStatus cs : p.getStatus().getContainerStatuses()) {
                    cs.setRestartCount((cs.getRestartCount() == null ? 0 : cs.getRestartCount()) + 1);
                    cs.setLastState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder().withNewTerminated()
                            .withExitCode(137).withReason("Error").withFinishedAt(now).endTerminated().build());
                    cs.setState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder()
                            .withRunning(new ContainerStateRunningBuilder().withStartedAt(now).build()).build());
                    cs.setReady(false);
                }
            }
            for (PodCondition c : p.getStatus().getConditions()) {
                if ("Ready".equals(c.getType()) || "ContainersReady".equals(c.getType())) {
                    c.setStatus("False");
                    c.setReason("ContainersNotReady");
                    c.setLastTransitionTime(now);
                }
            }
            return p;
        });
    }
}
