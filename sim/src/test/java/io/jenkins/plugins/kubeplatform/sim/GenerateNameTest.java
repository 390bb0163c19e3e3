package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.jenkins.plugins.kubeplatform.sim.RawApi.Answer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Creates that carry only {@code metadata.generateName} get a name as the registry's {@code SimpleNameGenerator}
 * makes one (apiserver pkg/storage/names/generate.go): the generateName, cut to 58 characters, and five random
 * characters from {@code bcdfghjklmnpqrstvwxz2456789}.
 */
class GenerateNameTest {

    private static final String CONFIGMAPS = "/api/v1/namespaces/named/configmaps";

    @AutoClose
    private static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder()
            .builtInControllers(false).build());

    @BeforeAll
    static void namespace() {
        sim.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("named").endMetadata()
                .build()).create();
    }

    private static String configMap(String generateName) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"generateName\":\"" + generateName
                + "\"}}";
    }

    @Test
    void aCreateWithOnlyAGenerateNameIsStoredUnderAGeneratedName() throws Exception {
        Answer a = RawApi.call(sim, "POST", CONFIGMAPS, "application/json", configMap("settings-"));
        assertThat(a.code()).isEqualTo(201);
        String name = a.body().path("metadata").path("name").asText();
        assertThat(name).matches("settings-[bcdfghjklmnpqrstvwxz2456789]{5}");
        assertThat(sim.client().configMaps().inNamespace("named").withName(name).get()).isNotNull();
    }

    @Test
    void aLongGenerateNameIsCutSoTheNameFitsSixtyThreeCharacters() throws Exception {
        String base = "x".repeat(70);
        Answer a = RawApi.call(sim, "POST", CONFIGMAPS + "?dryRun=All", "application/json", configMap(base));
        assertThat(a.code()).isEqualTo(201);
        assertThat(a.body().path("metadata").path("name").asText()).hasSize(63).startsWith("x".repeat(58));
    }
}
