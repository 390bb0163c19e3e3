package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Objects created with {@code metadata.generateName} are named as kube-apiserver's SimpleNameGenerator does
 * (apiserver/pkg/storage/names/generate.go): the prefix cut to 58 characters (MaxGeneratedNameLength = 63 - 5), then
 * five characters of utilrand's alphabet "bcdfghjklmnpqrstvwxz2456789".
 */
class GenerateNameTest {

    private static final String RANDOM_PART = "[bcdfghjklmnpqrstvwxz2456789]{5}";

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().builtInControllers(false)
            .build());
    static final KubernetesClient client = sim.client();

    private static ConfigMap createWithGenerateName(String prefix) {
        return client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withGenerateName(prefix).endMetadata().addToData("k", "v").build()).create();
    }

    @Test
    void appendsFiveCharactersOfTheGeneratorsAlphabetToThePrefix() {
        ConfigMap created = createWithGenerateName("settings-");
        assertThat(created.getMetadata().getName()).matches("settings-" + RANDOM_PART);
        assertThat(created.getMetadata().getGenerateName()).isEqualTo("settings-");
        assertThat(client.configMaps().inNamespace("default").withName(created.getMetadata().getName()).get())
                .isNotNull();
    }

    @Test
    void cutsALongPrefixToFiftyEightCharacters() {
        String prefix = "a".repeat(70) + "-";
        ConfigMap created = createWithGenerateName(prefix);
        assertThat(created.getMetadata().getName()).hasSize(63).matches("a{58}" + RANDOM_PART);
    }

    @Test
    void aDryRunCreateAnswersAGeneratedNameAndStoresNothing() {
        ConfigMap answered = client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withGenerateName("x".repeat(70)).endMetadata().build()).dryRun().create();
        assertThat(answered.getMetadata().getName()).hasSize(63).matches("x{58}" + RANDOM_PART);
        assertThat(client.configMaps().inNamespace("default").withName(answered.getMetadata().getName()).get())
                .isNull();
    }
}
