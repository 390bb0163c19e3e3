package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.image.ImageSource;
import io.jenkins.plugins.kubeplatform.engine.image.ImageSourceBuilder;
import io.jenkins.plugins.kubeplatform.engine.image.PushedImage;
import io.jenkins.plugins.kubeplatform.engine.image.RegistryCredential;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one build-then-deploy orchestration: what is checked before a build, what is built, what is deployed. */
class BuildThenDeployTest {

    static final String DIGEST = "sha256:" + "ab".repeat(32);
    final List<String> builds = new ArrayList<>();
    final List<String> log = new ArrayList<>();
    final ImageSourceBuilder builder = (source, progress) -> {
        builds.add(source.artifact());
        return new PushedImage("registry.example.test:5000/apps/web", "1", DIGEST);
    };

    static DeployRequest request(String name) {
        return DeployRequest.of("shop", name, "", 2, 8080, "default");
    }

    @Test
    void deploysTheDigestOfTheImageBuiltOnceWithThePushCredentialsForThePods() throws Exception {
        ImageSource source = new ImageSource.BuildFrom("target/web.jar", "registry.example.test:5000/apps/web:1",
                "eclipse-temurin:17-jre", new RegistryCredential.UsernamePassword("ci", "s3cret"));

        DeployRequest resolved = BuildThenDeploy.resolve(request("web"), source, builder, Progress.lines(log::add));

        assertThat(builds).containsExactly("target/web.jar");
        assertThat(resolved.image()).isEqualTo("registry.example.test:5000/apps/web@" + DIGEST);
        assertThat(resolved.pullCredentials()).hasValue(
                new PullCredentials("registry.example.test:5000", "ci", "s3cret"));
        assertThat(log).anyMatch(l -> l.contains("image: built from target/web.jar on eclipse-temurin:17-jre, pushed "
                + "to registry.example.test:5000/apps/web:1"));
    }

    @Test
    void refusesABadDeployInputBeforeAnythingIsBuilt() {
        ImageSource source = new ImageSource.BuildFrom("target/web.jar", "registry.example.test:5000/apps/web:1",
                "eclipse-temurin:17-jre", RegistryCredential.anonymous());

        assertThatThrownBy(() -> BuildThenDeploy.resolve(request("Web_App"), source, builder, Progress.silent()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("name");
        assertThat(builds).isEmpty();
    }

    @Test
    void deploysAPrebuiltImageAsGivenWithoutBuilding() throws Exception {
        DeployRequest resolved = BuildThenDeploy.resolve(request("web"), new ImageSource.Prebuilt("nginx:1.27"),
                builder, Progress.silent());

        assertThat(resolved.image()).isEqualTo("nginx:1.27");
        assertThat(resolved.pullCredentials()).isEmpty();
        assertThat(builds).isEmpty();
    }

    @Test
    void plansABuildWithTheTagItWouldPushAndSaysWhereTheImageComesFrom() {
        ImageSource source = new ImageSource.BuildFrom("target/web.jar", "registry.example.test:5000/apps/web:1",
                "eclipse-temurin:17-jre", RegistryCredential.anonymous());

        DeployRequest planned = BuildThenDeploy.planned(request("web"), source);

        assertThat(planned.image()).isEqualTo("registry.example.test:5000/apps/web:1");
        assertThat(source.describe()).isEqualTo("built from target/web.jar on eclipse-temurin:17-jre, pushed to "
                + "registry.example.test:5000/apps/web:1");
        assertThat(builds).isEmpty();
    }
}
