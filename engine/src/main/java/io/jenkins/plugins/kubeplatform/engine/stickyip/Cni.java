package io.jenkins.plugins.kubeplatform.engine.stickyip;

import java.util.Map;

/** How a CNI plugin is told which address a pod gets: a pod annotation read once, when the pod is created. */
public enum Cni {
    /** Calico: {@code cni.projectcalico.org/ipAddrs} holds a JSON array string; the address must lie in a Calico IPPool. */
    CALICO("calico", "cni.projectcalico.org/ipAddrs"),
    /** Kube-OVN: {@code ovn.kubernetes.io/ip_address} holds the plain address; dual-stack: {@code v4,v6}. */
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

    /**
     * The pod annotations that pin {@code ips}: one address, or a dual-stack pair {@code 10.42.200.5,fd00:10:42::5}
     * (IPv4 first). Calico takes a JSON array of both, Kube-OVN the comma-separated pair.
     */
    public Map<String, String> pinAnnotations(String ips) {
        return switch (this) {
            case CALICO -> Map.of(annotation, "[\"" + String.join("\",\"", ips.split(",")) + "\"]");
            case KUBE_OVN -> Map.of(annotation, ips);
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
