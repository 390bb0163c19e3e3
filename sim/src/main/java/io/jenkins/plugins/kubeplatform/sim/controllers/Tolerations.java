package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Objects;

/** Taint/toleration matching as in {@code k8s.io/api/core/v1} {@code Toleration.ToleratesTaint}. */
public final class Tolerations {

    private Tolerations() {
    }

    public static boolean tolerates(Toleration t, Taint taint) {
        if (t.getEffect() != null && !t.getEffect().isEmpty() && !t.getEffect().equals(taint.getEffect())) {
            return false;
        }
        if (t.getKey() != null && !t.getKey().isEmpty() && !t.getKey().equals(taint.getKey())) {
            return false;
        }
        String op = t.getOperator() == null || t.getOperator().isEmpty() ? "Equal" : t.getOperator();
        if (op.equals("Exists")) {
            return true;
        }
        // An empty key with Equal is invalid in the API; treat it as matching nothing.
        if (t.getKey() == null || t.getKey().isEmpty()) {
            return false;
        }
        return Objects.equals(emptyIfNull(t.getValue()), emptyIfNull(taint.getValue()));
    }

    public static List<Toleration> of(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getTolerations() == null ? List.of()
                : pod.getSpec().getTolerations();
    }

    public static boolean tolerated(Pod pod, Taint taint) {
        for (Toleration t : of(pod)) {
            if (tolerates(t, taint)) {
                return true;
            }
        }
        return false;
    }

    private static String emptyIfNull(String s) {
        return s == null ? "" : s;
    }
}
