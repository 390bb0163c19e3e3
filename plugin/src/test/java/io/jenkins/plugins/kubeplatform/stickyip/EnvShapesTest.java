package io.jenkins.plugins.kubeplatform.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.common.EnvVarEntry;
import io.jenkins.plugins.kubeplatform.common.JenkinsXStream;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.image.ImageBuild;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code env} takes two shapes: Pipeline's map ({@code env: [A: '1']}) and the form's repeatable entries
 * ({@code envVars: [envVar(name: 'A', value: '1')]}), bound here by reflection over the data-bound annotations as
 * structs and Stapler bind them; both give the same engine request.
 */
class EnvShapesTest {

    private static final Map<String, String> WANTED = orderedMap("MODE", "prod", "JAVA_OPTS", "-Xmx512m");

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Calls the {@code @DataBoundSetter} named like {@code property}, as structs does for a Pipeline argument. */
    private static void bind(Object bean, String property, Object value) throws Exception {
        String name = "set" + Character.toUpperCase(property.charAt(0)) + property.substring(1);
        for (Method m : bean.getClass().getMethods()) {
            if (m.getName().equals(name) && m.getAnnotation(DataBoundSetter.class) != null) {
                m.invoke(bean, value);
                return;
            }
        }
        throw new AssertionError("no @DataBoundSetter " + name + " on " + bean.getClass());
    }

    /** The form's entries, each made through its {@code @DataBoundConstructor} as Stapler makes them. */
    private static List<EnvVarEntry> entries(Map<String, String> values) throws Exception {
        Constructor<?> c = java.util.Arrays.stream(EnvVarEntry.class.getConstructors())
                .filter(k -> k.getAnnotation(DataBoundConstructor.class) != null).findFirst().orElseThrow();
        List<EnvVarEntry> entries = new ArrayList<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            entries.add((EnvVarEntry) c.newInstance(e.getKey(), e.getValue()));
        }
        return entries;
    }

    private static StickyIpDeployStep step() {
        StickyIpDeployStep step = new StickyIpDeployStep("web", 8080);
        step.setImage("nginx:1.27");
        return step;
    }

    @Test
    void buildsTheSameEngineRequestWhenEnvIsAMapOrFormEntries() throws Exception {
        StickyIpDeployStep fromPipeline = step();
        bind(fromPipeline, "env", WANTED);
        StickyIpDeployStep fromForm = step();
        bind(fromForm, "envVars", entries(WANTED));

        var pipelineRequest = StickyIpDeploys.request(fromPipeline, "shop", "build #1");
        var formRequest = StickyIpDeploys.request(fromForm, "shop", "build #1");

        assertThat(formRequest).isEqualTo(pipelineRequest);
        assertThat(pipelineRequest.env()).containsExactlyInAnyOrderEntriesOf(WANTED);
        assertThat(pipelineRequest.replicas()).as("replicas not set: one, as in Pipeline").isEqualTo(1);
    }

    @Test
    void showsTheMapAsFormEntriesAndGeneratesOnlyTheEntriesWhenConfiguredAsAMap() throws Exception {
        StickyIpDeployStep step = step();
        bind(step, "env", WANTED);

        assertThat(step.getEnvVars()).extracting(EnvVarEntry::getName, EnvVarEntry::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("MODE", "prod"),
                        org.assertj.core.groups.Tuple.tuple("JAVA_OPTS", "-Xmx512m"));
        // a generated snippet reads every bound property back: the map shape reads as null, so it is named once
        assertThat(step.getEnv()).isNull();
    }

    @Test
    void refusesANameGivenTwiceWhenBothShapesAreUsed() throws Exception {
        StickyIpDeployStep step = step();
        bind(step, "env", Map.of("MODE", "prod"));

        assertThatThrownBy(() -> step.setEnvVars(entries(Map.of("MODE", "test"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("envVars")
                .hasMessageContaining("MODE");
    }

    @Test
    void keepsImageEnvAndLabelsAsPlainMapsThroughXStreamWhenGivenAsEntries() throws Exception {
        ImageBuild build = new ImageBuild("target/app.jar", "eclipse-temurin:21-jre", "registry.example.test/shop/web:1");
        bind(build, "envVars", entries(WANTED));
        bind(build, "labels", Map.of("org.opencontainers.image.source", "https://git.example.test/shop"));

        ImageBuild loaded = JenkinsXStream.roundTrip(build);

        assertThat(loaded.environment()).containsExactlyEntriesOf(WANTED);
        assertThat(loaded.imageLabels()).containsEntry("org.opencontainers.image.source", "https://git.example.test/shop");
        assertThat(JenkinsXStream.write(build)).contains("JAVA_OPTS").doesNotContain("EnvVarEntry");
    }
}
