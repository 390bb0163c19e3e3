package io.jenkins.plugins.kubeplatform.kube;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Picks a configured cluster by name, falling back to the default and then to the first one. */
final class ClusterSelection {

    private ClusterSelection() {
    }

    static <C> Optional<C> select(List<C> clusters, Function<C, String> name, String defaultName, String wanted) {
        String target = wanted == null || wanted.isBlank() ? defaultName : wanted.trim();
        if (target == null || target.isBlank()) {
            return clusters.stream().findFirst();
        }
        return clusters.stream().filter(c -> target.equals(name.apply(c))).findFirst();
    }
}
