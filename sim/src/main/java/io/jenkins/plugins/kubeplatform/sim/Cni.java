package io.jenkins.plugins.kubeplatform.sim;

/** Which CNI plugin's IP request annotation the simulated IPAM honours. */
public enum Cni {
    /** Calico: {@code cni.projectcalico.org/ipAddrs: '["10.42.0.15"]'} (a JSON array string). */
    CALICO,
    /** Kube-OVN: {@code ovn.kubernetes.io/ip_address: 10.42.0.15}. */
    KUBE_OVN;

    /** The pod annotation holding the requested address. */
    public String ipAnnotation() {
        return this == CALICO ? "cni.projectcalico.org/ipAddrs" : "ovn.kubernetes.io/ip_address";
    }
}
