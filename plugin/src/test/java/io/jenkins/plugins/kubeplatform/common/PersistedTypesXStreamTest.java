package io.jenkins.plugins.kubeplatform.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.edgevm.EdgeVmConfiguration;
import io.jenkins.plugins.kubeplatform.expose.DomainSettingsConfiguration;
import io.jenkins.plugins.kubeplatform.kube.KubePlatformConfiguration;
import io.jenkins.plugins.kubeplatform.repair.RepairConfiguration;
import io.jenkins.plugins.kubeplatform.repair.RepairOfflineCause;
import io.jenkins.plugins.kubeplatform.stickyip.StickyIpConfiguration;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Everything Jenkins saves with XStream (build actions, global configurations with their nested configurations)
 * survives a save and a restart: written by XStream as Jenkins configures it, read back by a fresh one, equal field
 * by field, with every list filled and every list still mutable (Jenkins' forms and CasC add to them).
 */
class PersistedTypesXStreamTest {

    static Stream<Class<?>> persistedTypes() {
        return Stream.of(ResultAction.class, KubePlatformConfiguration.class, StickyIpConfiguration.class,
                DomainSettingsConfiguration.class, RepairConfiguration.class, EdgeVmConfiguration.class);
    }

    @ParameterizedTest
    @MethodSource("persistedTypes")
    void readsBackEqualWhenWrittenWithEveryFieldAndListFilled(Class<?> type) {
        Object original = new FilledInstances().of(type);
        List<String> empty = new ArrayList<>();
        emptyCollections(original, type.getSimpleName(), empty);
        assertThat(empty).as("collections the filler left empty").isEmpty();

        Object back = JenkinsXStream.roundTrip(original);

        assertThat(back).isExactlyInstanceOf(type);
        assertThat(back).usingRecursiveComparison().isEqualTo(original);
        assertThat(JenkinsXStream.write(back)).isEqualTo(JenkinsXStream.write(original));
    }

    @Test
    void keepsTheLinesOfAResultActionInOrderAndMutableWhenReadBack() {
        ResultAction action = new ResultAction("stickyIpDeploy shop/web", List.of("service web", "shop/web-0: 10.0.0.7"));

        ResultAction back = JenkinsXStream.roundTrip(action);

        assertThat(back.getLines()).containsExactly("service web", "shop/web-0: 10.0.0.7");
        back.getLines().add("more");
        assertThat(back.getFailure()).isEmpty();
        assertThat(JenkinsXStream.write(action)).doesNotContain("ImmutableCollections");
    }

    @Test
    void recordsTheFailureOfAStepWhenReadBack() {
        ResultAction back = JenkinsXStream.roundTrip(ResultAction.failed("exposeApp", "host: is taken by shop/web"));

        assertThat(back.isFailed()).isTrue();
        assertThat(back.getFailure()).isEqualTo("host: is taken by shop/web");
    }

    @Test
    void keepsTheRepairedNodeOfAnAgentsOfflineCauseWhenReadBack() {
        RepairOfflineCause back = JenkinsXStream.roundTrip(new RepairOfflineCause("node-7"));

        assertThat(back.getNode()).isEqualTo("node-7");
        assertThat(back.toString()).contains("node-7");
    }

    /** The harness bites: a type holding a JDK immutable list or a record cannot be saved and read back. */
    @Test
    void refusesWhatJenkinsCannotPersistWhenATypeHoldsImmutableCollectionsOrRecords() {
        assertThatThrownBy(() -> JenkinsXStream.roundTrip(new Holder(List.copyOf(List.of("a", "b", "c")))))
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> JenkinsXStream.roundTrip(new Holder(new Pair("a", "b"))))
                .isInstanceOf(RuntimeException.class);
    }

    static final class Holder {
        final Object value;

        Holder(Object value) {
            this.value = value;
        }
    }

    record Pair(String left, String right) {
    }

    private static void emptyCollections(Object o, String path, List<String> empty) {
        if (o == null || !o.getClass().getName().startsWith("io.jenkins.plugins.kubeplatform.")) {
            return;
        }
        for (Class<?> c = o.getClass(); c != null && c.getName().startsWith("io.jenkins.plugins."); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || Modifier.isTransient(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                Object v;
                try {
                    v = f.get(o);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                if (v instanceof Collection<?> coll) {
                    if (coll.isEmpty()) {
                        empty.add(path + "." + f.getName());
                    }
                    coll.forEach(e -> emptyCollections(e, path + "." + f.getName() + "[]", empty));
                } else if (v instanceof Map<?, ?> map) {
                    if (map.isEmpty()) {
                        empty.add(path + "." + f.getName());
                    }
                } else {
                    emptyCollections(v, path + "." + f.getName(), empty);
                }
            }
        }
    }
}
