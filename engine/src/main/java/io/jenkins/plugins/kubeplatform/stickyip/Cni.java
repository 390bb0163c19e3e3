package io.jenkins.plugins.kubeplatform.stickyip;

import java.util.Map;

/** How a CNI plugin is told which address a pod gets: a pod annotation read once, when the pod is created. */
public enum Cni {
    /** Calico: {@code cni.projectcalico.org/ipAddrs} holds a JSON array string; the address must lie in a Calico IPPool. */
    CALICO("calico", "cni.projectcalico.org/ipAddrs"),
    /** Kube-OVN: {@code ovn.kubernetes.io/ip_address} holds the plain address. */
    KUBE_OVN("kube-ovn", "ovn.kubernetes.io/ip_address");

    private final String configName;
    private final String annotation;

    Cni(String configName, String annotation) {
        this.configName = configName;
        this.annotation = annotation;
    }

    public String configName() {
        return configName;
    }

    public String annotation() {
        return annotation;
    }

    /** The pod annotations that pin {@code ip}. */
    public Map<String, String> pinAnnotations(String ip) {
        return switch (this) {
            case CALICO -> Map.of(annotation, "[\"" + ip + "\"]");
            case KUBE_OVN -> Map.of(annotation, ip);
        };
    }

    public static java.util.Optional<Cni> fromConfig(String name) {
        for (Cni c : values()) {
            if (c.configName.equalsIgnoreCase(name == null ? "" : name.trim())
                    || c.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return java.util.Optional.of(c);
            }
        }
        return java.util.Optional.empty();
    }
}
