package io.jenkins.plugins.kubeplatform.sim;

import java.util.List;
import java.util.ServiceLoader;

/**
 * The built-in controllers (scheduler, kubelets, workload, endpoints, disruption, ingress, gateway, KubeVirt and
 * controllers), found with {@link ServiceLoader}: their packages build on this one, so this one names none of them.
 * Exactly one provider is on the class path (the sim module's own).
 */
public interface BuiltInControllers {

    /** New controller instances for one cluster. */
    List<SimController> create(SimOptions options);

    /** The controllers of the one provider on the class path. */
    static List<SimController> load(SimOptions options) {
        List<BuiltInControllers> found = ServiceLoader.load(BuiltInControllers.class,
                BuiltInControllers.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();
        if (found.size() != 1) {
            throw new IllegalStateException("expected one provider of " + BuiltInControllers.class.getName()
                    + " (META-INF/services), found " + found.size());
        }
        return found.get(0).create(options);
    }
}
