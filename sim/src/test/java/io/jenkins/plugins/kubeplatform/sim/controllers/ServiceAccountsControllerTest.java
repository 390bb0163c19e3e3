package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** kube-controller-manager's serviceaccount controller: every active namespace has a {@code default} account. */
@Timeout(120)
class ServiceAccountsControllerTest {

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(50).build());
    static final KubernetesClient client = sim.client();

    private static ServiceAccount awaitDefault(String namespace) {
        return Pods.await(client.serviceAccounts().inNamespace(namespace).withName("default"), sa -> sa != null);
    }

    @Test
    void aNewNamespaceGetsADefaultServiceAccountAndGetsItBackWhenItIsDeleted() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("fresh").endMetadata().build())
                .create();
        ServiceAccount first = awaitDefault("fresh");

        client.serviceAccounts().inNamespace("fresh").withName("default").delete();
        ServiceAccount again = Pods.await(client.serviceAccounts().inNamespace("fresh").withName("default"),
                sa -> sa != null && !sa.getMetadata().getUid().equals(first.getMetadata().getUid()));

        assertThat(again.getMetadata().getName()).isEqualTo("default");
        assertThat(client.serviceAccounts().inNamespace("kube-system").withName("default").get())
                .as("the namespaces a cluster starts with").isNotNull();
    }

    @Test
    void pullSecretsAddedToTheDefaultAccountReachThePodsCreatedAfterwards() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("pulling").endMetadata()
                .build()).create();
        awaitDefault("pulling");
        client.serviceAccounts().inNamespace("pulling").withName("default").edit(sa -> {
            sa.getImagePullSecrets().add(new LocalObjectReference("registry-login"));
            return sa;
        });

        Pod pod = client.pods().inNamespace("pulling").resource(Pods.pod("app").editMetadata()
                .withNamespace("pulling").endMetadata().build()).create();

        assertThat(pod.getSpec().getImagePullSecrets()).extracting(LocalObjectReference::getName)
                .containsExactly("registry-login");
    }
}
