package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The user's own workload (SIP-12), normalised to a Deployment whatever was given (a Deployment, a Pod, a PodTemplate
 * or a bare pod template). Every identity is rendered from a copy of it; see {@link ManifestParser} for where it comes
 * from and {@link TemplateRules} for what it may not set.
 *
 * @param source   how users name it in errors: {@code template} (YAML text) or {@code manifest} (a file)
 * @param replicas the Deployment's {@code spec.replicas}, when the manifest was a Deployment that set it
 */
public record WorkloadTemplate(String source, Deployment deployment, Optional<Integer> replicas) {

    public WorkloadTemplate {
        Objects.requireNonNull(source, "source");
        deployment = copy(deployment);
        Objects.requireNonNull(replicas, "replicas");
    }

    /** A deep copy of the Deployment: the record's own is never handed out to be changed. */
    @Override
    public Deployment deployment() {
        return copy(deployment);
    }

    List<Container> containers() {
        return deployment.getSpec().getTemplate().getSpec().getContainers();
    }

    /** Every TCP/UDP/SCTP port the containers declare, in order of appearance. */
    List<ContainerPort> ports() {
        List<ContainerPort> ports = new ArrayList<>();
        for (Container c : containers()) {
            if (c.getPorts() != null) {
                ports.addAll(c.getPorts());
            }
        }
        return ports;
    }

    /** The container {@code image:}/{@code env} apply to: the one named like the app, else the only one. */
    Optional<Container> target(String appName) {
        List<Container> containers = containers();
        Optional<Container> named = containers.stream().filter(c -> appName.equals(c.getName())).findFirst();
        return named.isPresent() || containers.size() != 1 ? named : Optional.of(containers.get(0));
    }

    static Deployment copy(Deployment d) {
        return Json.mapper().convertValue(d, Deployment.class);
    }
}
