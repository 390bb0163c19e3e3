package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pull policy the simulated kubelet applies to a container that reaches it without one (the API server defaults
 * it, so only objects written around it): the same as {@code SetDefaults_Container}, which reads the tag with
 * {@code parsers.ParseImageName}: {@code latest} (also beside a digest, or when there is neither) pulls always.
 */
class KubeletPullPolicyTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"nginx, Always", "nginx:1.27, IfNotPresent", "nginx@sha256:0a1b, IfNotPresent",
        "nginx:latest@sha256:0a1b, Always", "localhost:5000/app, Always", "localhost:5000/app:v1, IfNotPresent"})
    void defaultsThePolicyAsTheApiServerWould(String image, String policy) {
        assertThat(Kubelet.pullPolicy(new ContainerBuilder().withName("c").withImage(image).build()))
                .isEqualTo(policy);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Never", "Always", "IfNotPresent"})
    void keepsThePolicyTheContainerSets(String policy) {
        assertThat(Kubelet.pullPolicy(new ContainerBuilder().withName("c").withImage("nginx:latest")
                .withImagePullPolicy(policy).build())).isEqualTo(policy);
    }
}
