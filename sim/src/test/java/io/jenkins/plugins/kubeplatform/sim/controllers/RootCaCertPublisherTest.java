package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kube-controller-manager's root-ca-cert-publisher: every namespace has ConfigMap {@code kube-root-ca.crt} with the
 * cluster's CA, the one that signs the API server's serving certificate.
 */
@Timeout(120)
class RootCaCertPublisherTest {

    /** The annotation's text in v1.32 (rootcacertpublisher/publisher.go, {@code Description}). */
    private static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when "
            + "using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
            + "guaranteed across distributions of Kubernetes clusters.";

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(50).build());
    static final KubernetesClient client = sim.client();

    private static Resource<ConfigMap> rootCa(String namespace) {
        return client.configMaps().inNamespace(namespace).withName("kube-root-ca.crt");
    }

    private static void createNamespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }

    @Test
    void aNewNamespaceGetsTheClusterCaThatSignsTheApiServersServingCertificate() throws Exception {
        createNamespace("ca-fresh");

        ConfigMap cm = Pods.await(rootCa("ca-fresh"), c -> c != null);

        assertThat(cm.getMetadata().getAnnotations()).containsEntry("kubernetes.io/description", DESCRIPTION);
        assertThat(cm.getData()).containsOnlyKeys("ca.crt");
        X509Certificate published = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(cm.getData().get("ca.crt").getBytes(StandardCharsets.US_ASCII)));
        sim.certificates().server().certificate().verify(published.getPublicKey());
        assertThat(rootCa("kube-system").get()).as("a namespace the cluster starts with").isNotNull();
    }

    @Test
    void aDeletedOrEditedRootCaConfigMapIsWrittenBack() {
        createNamespace("ca-edited");
        ConfigMap first = Pods.await(rootCa("ca-edited"), c -> c != null);
        String ca = first.getData().get("ca.crt");

        rootCa("ca-edited").edit(c -> {
            c.setData(Map.of("ca.crt", "not a certificate"));
            c.getMetadata().getAnnotations().remove("kubernetes.io/description");
            return c;
        });
        ConfigMap restored = Pods.await(rootCa("ca-edited"), c -> c != null && ca.equals(c.getData().get("ca.crt"))
                && c.getMetadata().getAnnotations().containsKey("kubernetes.io/description"));
        assertThat(restored.getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());

        rootCa("ca-edited").delete();
        ConfigMap again = Pods.await(rootCa("ca-edited"),
                c -> c != null && !c.getMetadata().getUid().equals(first.getMetadata().getUid()));
        assertThat(again.getData()).containsEntry("ca.crt", ca);
    }
}
