package io.jenkins.plugins.kubeplatform.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.RunAction2;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

class ResultActionTest {

    @Test
    void exportsStepAndLinesWhenServedAsApiJson() throws Exception {
        assertThat(ResultAction.class.getAnnotation(ExportedBean.class)).isNotNull();
        assertThat(ResultAction.class.getMethod("getStep").getAnnotation(Exported.class)).isNotNull();
        assertThat(ResultAction.class.getMethod("getLines").getAnnotation(Exported.class)).isNotNull();
        assertThat(RunAction2.class).isAssignableFrom(ResultAction.class);
    }

    @Test
    void keepsAPlainMutableCopyWhenBuiltFromAnImmutableList() throws Exception {
        List<String> given = List.of("pod web-0 10.42.200.5 on node-1");
        ResultAction action = new ResultAction("stickyIpDeploy default/web", given);

        assertThat(action.getLines()).isInstanceOf(ArrayList.class).containsExactlyElementsOf(given);
        for (Field f : ResultAction.class.getDeclaredFields()) {
            if (!Modifier.isTransient(f.getModifiers()) && !Modifier.isStatic(f.getModifiers())) {
                // XStream writes and reads these: no final fields, no immutable JDK collections
                assertThat(Modifier.isFinal(f.getModifiers())).as(f.getName()).isFalse();
            }
        }
    }
}
