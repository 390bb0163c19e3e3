package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.jenkins.plugins.kubeplatform.engine.config.PlatformConfig;
import java.time.Instant;

/** Two sites (Frankfurt, Paris), three edge clusters with different size and place, tenant quotas. */
final class EdgeFixtures {

    static final String YAML = """
            edge:
              startTimeout: 10m
              joinTimeout: 5m
              waitTimeout: 30s
              maxAttempts: 2
              sites:
                - name: frankfurt
                  namespace: edge-frankfurt
                  location: "50.1109,8.6821"
                  region: eu-central
                  zone: fra-1
                  capacity: {cpu: 8, memory: 16Gi, vms: 4}
                - name: paris
                  namespace: edge-paris
                  location: "48.8566,2.3522"
                  region: eu-west
                  zone: par-1
                  capacity: {cpu: 16, memory: 32Gi, vms: 8}
              edgeClusters:
                - name: {P}fra
                  location: "50.11,8.68"
                  maxNodes: 2
                  joinMethod: k3s
                  server: https://edge-fra.example.net:6443
                  tokenFile: /dev/null
                - name: {P}par
                  location: "48.86,2.35"
                  maxNodes: 4
                  joinMethod: kubeadm
                  server: https://edge-par.example.net:6443
                  caCertHash: sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                - name: {P}ams
                  location: "52.37,4.90"
                  maxNodes: 10
                  joinMethod: k3s
                  server: https://edge-ams.example.net:6443
              newClusters:
                namePrefix: {P}new
                maxNodes: 4
                joinMethod: {NEW_METHOD}
                caCertHash: sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                server: https://edge-pool.example.net:6443
              quotas:
                - tenant: demo
                  cpu: 6
                  memory: 12Gi
                  vms: 3
                - tenant: acme
                  cpu: 32
                  memory: 64Gi
                  vms: 10
            """;

    static final String TOKEN = "K10abc123::server:s3cr3t-join-token";
    static final Instant T0 = Instant.parse("2026-11-30T05:00:00Z");

    private EdgeFixtures() {
    }

    static EdgeSettings settings() {
        return settings("edge-");
    }

    /** The fixture with edge cluster names starting with {@code prefix}, so tests sharing a cluster stay apart. */
    static EdgeSettings settings(String prefix) {
        return settings(prefix, "k3s");
    }

    /** ... with new edge clusters joined by {@code newClusterMethod} (k3s, kubeadm or openyurt). */
    static EdgeSettings settings(String prefix, String newClusterMethod) {
        return EdgeSettings.from(PlatformConfig.parse("test", YAML.replace("{P}", prefix)
                .replace("{NEW_METHOD}", newClusterMethod)));
    }

    static EdgeVmRequest request(String name, String tenant, int cpu, String memory) {
        return EdgeVmRequest.of(name, tenant, cpu, memory, "10Gi", "quay.io/containerdisks/ubuntu:22.04", false,
                null, null, null, null, null);
    }

    static VmRecord record(String tenant, String name, String site, String cluster, int cpu, long memoryMi,
                           VmState state) {
        return VmRecord.builder().vm(tenant + "-" + name).name(name).tenant(tenant).site(site).namespace("edge-" + site)
                .edgeCluster(cluster).node(state == VmState.PROVISIONING ? null : tenant + "-" + name).cpu(cpu)
                .memoryMi(memoryMi).diskGi(10).image("quay.io/containerdisks/ubuntu:22.04").state(state).start(T0)
                .build();
    }
}
