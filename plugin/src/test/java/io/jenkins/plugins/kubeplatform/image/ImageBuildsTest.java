package io.jenkins.plugins.kubeplatform.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import org.junit.jupiter.api.Test;

class ImageBuildsTest {

    @Test
    void takesArtifactsInsideTheWorkspace() throws Exception {
        assertThat(ImageBuilds.workspaceRelative(" target/web.jar ")).isEqualTo("target/web.jar");
        assertThat(ImageBuilds.workspaceRelative("build\\libs\\web.war")).isEqualTo("build/libs/web.war");
        assertThat(ImageBuilds.workspaceRelative("site/..public")).isEqualTo("site/..public");
    }

    @Test
    void refusesArtifactsOutsideTheWorkspace() {
        for (String outside : new String[] {"/etc/shadow", "../other-job/target/app.jar", "target/../../x.jar",
                "C:/secrets/app.jar", " "}) {
            assertThatThrownBy(() -> ImageBuilds.workspaceRelative(outside)).as(outside)
                    .isInstanceOf(AbortException.class)
                    .hasMessageContaining("artifact");
        }
    }
}
