package io.jenkins.plugins.kubeplatform.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageBuildPlanTest {

    @TempDir
    Path dir;

    private ImageBuildRequest.Builder request(Path artifact) {
        return ImageBuildRequest.builder(artifact, "registry.example.com/base/java:17", "registry.example.com/team/app:1");
    }

    @Test
    void refusesAMissingArtifactNamingTheField() {
        assertThatThrownBy(() -> ImageBuildPlan.of(request(dir.resolve("target/app.jar")).build()))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("artifact"))
                .hasMessageContaining("does not exist");
    }

    @Test
    void refusesAnArtifactThatIsNeitherJarWarNorDirectory() throws Exception {
        Path zip = Files.writeString(dir.resolve("app.zip"), "x");

        assertThatThrownBy(() -> ImageBuildPlan.of(request(zip).build()))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("artifact"));
    }

    @Test
    void refusesAnEmptyDirectory() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("site"));

        assertThatThrownBy(() -> ImageBuildPlan.of(request(empty).build()))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("artifact"))
                .hasMessageContaining("empty directory");
    }

    @Test
    void refusesATargetGivenByDigest() throws Exception {
        Path jar = TestJars.jar(dir, "app.jar", "x");
        ImageBuildRequest byDigest = ImageBuildRequest.builder(jar, "base:1",
                "registry.example.com/team/app@sha256:" + "a".repeat(64)).build();

        assertThatThrownBy(() -> ImageBuildPlan.of(byDigest))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("to"));
    }

    @Test
    void refusesAMalformedBaseReference() throws Exception {
        Path jar = TestJars.jar(dir, "app.jar", "x");

        assertThatThrownBy(() -> ImageBuildPlan.of(ImageBuildRequest.builder(jar, "Not An Image!", "r.io/a:1").build()))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("from"));
    }

    @Test
    void refusesPortsOutOfRangeAndBadEnvironmentNames() throws Exception {
        Path jar = TestJars.jar(dir, "app.jar", "x");

        assertThatThrownBy(() -> ImageBuildPlan.of(request(jar).port(70000).build()))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("ports"));
        assertThatThrownBy(() -> ImageBuildPlan.of(request(jar).environment("1BAD", "x").build()))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("env"));
        assertThatThrownBy(() -> ImageBuildPlan.of(request(jar).destination("app.jar").build()))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("destination"));
    }

    @Test
    void startsAJarWithJavaDashJarByDefault() throws Exception {
        Path jar = TestJars.jar(dir, "web-1.0.jar", "x");

        ImageBuildPlan plan = ImageBuildPlan.of(request(jar).build());

        assertThat(plan.kind()).isEqualTo(ArtifactKind.JAR);
        assertThat(plan.destination()).isEqualTo("/app/web-1.0.jar");
        assertThat(plan.entrypoint()).containsExactly("java", "-jar", "/app/web-1.0.jar");
    }

    @Test
    void keepsTheBaseEntrypointForAWarUnlessOneIsGiven() throws Exception {
        Path war = Files.writeString(dir.resolve("shop.war"), "war");

        assertThat(ImageBuildPlan.of(request(war).build()).entrypoint()).isEmpty();
        assertThat(ImageBuildPlan.of(request(war).build()).destination()).isEqualTo("/var/lib/jetty/webapps/ROOT.war");
        assertThat(ImageBuildPlan.of(request(war).entrypoint(List.of("catalina.sh", "run")).build()).entrypoint())
                .containsExactly("catalina.sh", "run");
    }

    @Test
    void usesThePushCredentialsForABaseInTheSameRegistryOnly() throws Exception {
        Path jar = TestJars.jar(dir, "app.jar", "x");
        RegistryCredential ci = new RegistryCredential.UsernamePassword("ci", "secret");

        assertThat(ImageBuildPlan.of(request(jar).toCredential(ci).build()).fromCredential()).isEqualTo(ci);
        assertThat(ImageBuildPlan.of(ImageBuildRequest.builder(jar, "eclipse-temurin:17-jre", "registry.example.com/a:1")
                .toCredential(ci).build()).fromCredential()).isInstanceOf(RegistryCredential.Anonymous.class);
    }

    @Test
    void neverShowsThePasswordInDescriptions() throws Exception {
        Path jar = TestJars.jar(dir, "app.jar", "x");
        RegistryCredential ci = new RegistryCredential.UsernamePassword("ci", "pa55word");

        ImageBuildPlan plan = ImageBuildPlan.of(request(jar).toCredential(ci).build());

        assertThat(plan.describe()).contains("as user ci").doesNotContain("pa55word");
        assertThat(ci.toString()).doesNotContain("pa55word");
    }

    @Test
    void namesDockerHubImagesTheWayKubernetesPullsThem() throws Exception {
        assertThat(ImageBuilder.repository(com.google.cloud.tools.jib.api.ImageReference.parse("nginx:1")))
                .isEqualTo("docker.io/library/nginx");
        assertThat(ImageBuilder.repository(com.google.cloud.tools.jib.api.ImageReference.parse("127.0.0.1:5000/a/b:1")))
                .isEqualTo("127.0.0.1:5000/a/b");
    }
}
