package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIP-12: identities rendered from the user's own workload, against the simulated cluster. */
class StickyIpTemplateSimTest {

    static final String REAL_APP = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {team: shop}
            spec:
              replicas: 3
              template:
                metadata:
                  labels: {tier: front}
                  annotations: {prometheus.io/scrape: "true"}
                spec:
                  serviceAccountName: web
                  securityContext: {runAsNonRoot: true, runAsUser: 10001}
                  tolerations:
                    - {key: dedicated, operator: Equal, value: shop, effect: NoSchedule}
                  containers:
                    - name: web
                      image: registry.example.com/shop/web:41
                      ports:
                        - {name: http, containerPort: 8080}
                        - {name: metrics, containerPort: 9090}
                      env:
                        - name: DB_PASSWORD
                          valueFrom: {secretKeyRef: {name: web-db, key: password}}
                      envFrom:
                        - configMapRef: {name: web-config}
                      resources:
                        requests: {cpu: 250m, memory: 256Mi}
                        limits: {memory: 512Mi}
                      readinessProbe:
                        httpGet: {path: /ready, port: http}
                        periodSeconds: 5
                      livenessProbe:
                        httpGet: {path: /live, port: http}
                        initialDelaySeconds: 10
                      volumeMounts:
                        - {name: cache, mountPath: /var/cache/web}
                    - name: log-shipper
                      image: registry.example.com/tools/shipper:3
                  volumes:
                    - name: cache
                      emptyDir: {sizeLimit: 1Gi}
            """;

    @TempDir
    Path stateDir;

    private SimulatedCluster sim;
    private final Map<String, IpPool> pools = Map.of("default", Pools.pool("default", "10.42.200.0/24"));

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    /** The service account REAL_APP runs as: without it the API server refuses its pods (ServiceAccount admission). */
    private static SimulatedCluster withAccount(SimulatedCluster sim) {
        sim.client().serviceAccounts().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model
                .ServiceAccountBuilder().withNewMetadata().withName("web").endMetadata().build()).create();
        return sim;
    }

    private StickyIpDeployer deployer() {
        return new StickyIpDeployer(sim.client(), pools, new IpReservationLedger(
                new JournaledLedgerStore(stateDir.resolve("ip-ledger")), Clock.systemUTC(), new Random(1)),
                StickyIpDeployerSimTest.fastRetry());
    }

    private static DeployRequest fromTemplate(String yaml, String image, Integer replicas) {
        WorkloadTemplate t = ManifestParser.parse("template", yaml);
        return new DeployRequest("shop", "web", image, DeployRequest.replicas(replicas, java.util.Optional.of(t)), 0,
                "default", "test", Duration.ofSeconds(60), Map.of()).withTemplate(t);
    }

    @Test
    void keepsProbesResourcesVolumesAndSecretConfigOnEveryIdentitysPod() {
        sim = withAccount(TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(100).build())));

        DeployResult result = deployer().deploy(fromTemplate(REAL_APP, "registry.example.com/shop/web:42", null),
                Progress.silent());

        assertThat(result.identities()).as("replicas from the manifest").hasSize(3);
        List<Pod> pods = sim.client().pods().inNamespace("shop").withLabel(StickyIpLabels.NAME, "web").list().getItems()
                .stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
        assertThat(pods).hasSize(3);
        for (Pod p : pods) {
            Container web = p.getSpec().getContainers().stream().filter(c -> c.getName().equals("web")).findFirst()
                    .orElseThrow();
            assertThat(web.getImage()).as("image: sets the app's container").isEqualTo("registry.example.com/shop/web:42");
            assertThat(web.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
            assertThat(web.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/live");
            assertThat(web.getResources().getRequests().get("cpu").toString()).isEqualTo("250m");
            assertThat(web.getResources().getLimits().get("memory").toString()).isEqualTo("512Mi");
            // the template's mount, then the one the API server's ServiceAccount admission adds for the token
            assertThat(web.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/var/cache/web",
                    "/var/run/secrets/kubernetes.io/serviceaccount");
            assertThat(web.getEnv()).extracting(e -> e.getValueFrom().getSecretKeyRef().getName()).containsExactly("web-db");
            assertThat(web.getEnvFrom()).extracting(e -> e.getConfigMapRef().getName()).containsExactly("web-config");
            assertThat(p.getSpec().getContainers()).extracting(Container::getImage)
                    .contains("registry.example.com/tools/shipper:3");
            assertThat(p.getSpec().getVolumes()).extracting(v -> v.getName()).hasSize(2).first().isEqualTo("cache");
            assertThat(p.getSpec().getVolumes().get(1).getName()).startsWith("kube-api-access-");
            assertThat(p.getSpec().getServiceAccountName()).isEqualTo("web");
            assertThat(p.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(10001L);
            assertThat(p.getSpec().getTolerations()).extracting(t -> t.getKey()).contains("dedicated");
            assertThat(p.getMetadata().getLabels()).containsEntry("tier", "front").containsEntry(StickyIpLabels.NAME, "web");
            assertThat(p.getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true")
                    .containsEntry("cni.projectcalico.org/ipAddrs", "[\"" + p.getStatus().getPodIP() + "\"]");
        }
        assertThat(pods).extracting(p -> p.getStatus().getPodIP()).containsExactlyInAnyOrderElementsOf(result.ips());
        var deployment = sim.client().apps().deployments().inNamespace("shop").withName("web-0").get();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(deployment.getMetadata().getLabels()).containsEntry("team", "shop");
        Service service = sim.client().services().inNamespace("shop").withName("web").get();
        assertThat(service.getSpec().getPorts()).extracting(sp -> sp.getName() + ":" + sp.getPort())
                .containsExactly("http:8080", "metrics:9090");
    }

    @Test
    void writesNothingWhenTheSameTemplateIsDeployedAgain() {
        sim = withAccount(TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(100).build())));
        deployer().deploy(fromTemplate(REAL_APP, "", 2), Progress.silent());

        DeployResult again = deployer().deploy(fromTemplate(REAL_APP, "", 2), Progress.silent());

        assertThat(again.changed()).isFalse();
        assertThat(again.image()).isEqualTo("registry.example.com/shop/web:41");
    }

    @Test
    void refusesAHostNetworkPodNamingTheField() {
        assertRefused(REAL_APP.replace("serviceAccountName: web", "serviceAccountName: web\n      hostNetwork: true"),
                "template.spec.template.spec.hostNetwork");
    }

    @Test
    void refusesARollingUpdateWithSurgeNamingTheField() {
        assertRefused(REAL_APP.replace("  replicas: 3\n", "  replicas: 3\n  strategy: {type: RollingUpdate}\n"),
                "template.spec.strategy.rollingUpdate.maxSurge");
    }

    @Test
    void acceptsARollingUpdateWithoutSurge() {
        WorkloadTemplate t = ManifestParser.parse("template", REAL_APP.replace("  replicas: 3\n",
                "  replicas: 3\n  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}\n"));
        TemplateRules.check(t, fromTemplate(REAL_APP, "", 1), Cni.CALICO);
    }

    @Test
    void refusesAnotherCnisPinAnnotationNamingTheField() {
        assertRefused(REAL_APP.replace("prometheus.io/scrape: \"true\"", "ovn.kubernetes.io/ip_address: 10.16.0.9"),
                "template.spec.template.metadata.annotations[ovn.kubernetes.io/ip_address]");
    }

    @Test
    void refusesAnImageWhenNoContainerIsTheApps() {
        assertRefused(REAL_APP.replace("- name: web\n", "- name: server\n"), "image");
    }

    private void assertRefused(String yaml, String field) {
        sim = withAccount(TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(100).build())));
        assertThatThrownBy(() -> deployer().deploy(fromTemplate(yaml, "registry.example.com/shop/web:42", null),
                Progress.silent()))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field));
        assertThat(sim.client().apps().deployments().inNamespace("shop").list().getItems()).as("nothing applied").isEmpty();
    }
}
