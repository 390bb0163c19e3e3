package io.jenkins.plugins.kubeplatform.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.sim.registry.LocalRegistry;
import io.jenkins.plugins.kubeplatform.sim.registry.RegistryApi;
import io.jenkins.plugins.kubeplatform.sim.registry.RegistryBinary;
import io.jenkins.plugins.kubeplatform.sim.registry.RegistryOptions;
import io.jenkins.plugins.kubeplatform.sim.registry.TinyBaseImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds and pushes against a real registry (Debian's docker-registry) on 127.0.0.1. */
class ImageBuilderTest {

    private static LocalRegistry open;
    private static LocalRegistry protectedRegistry;
    private static TinyBaseImage.Pushed openBase;
    private static TinyBaseImage.Pushed protectedBase;

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();
    private final Progress progress = Progress.lines(log::add);

    @BeforeAll
    static void startRegistries() {
        assumeTrue(RegistryBinary.installedOrRequired(), "docker-registry is not installed (and CI is not set)");
        open = LocalRegistry.start(RegistryOptions.open());
        openBase = TinyBaseImage.push(open, "base/tiny", "1");
        protectedRegistry = LocalRegistry.start(RegistryOptions.withUser("ci", "s3cret-Pass"));
        protectedBase = TinyBaseImage.push(protectedRegistry, "base/tiny", "1");
    }

    @AfterAll
    static void stopRegistries() {
        if (open != null) {
            open.close();
        }
        if (protectedRegistry != null) {
            protectedRegistry.close();
        }
    }

    @Test
    void pushesAJarOnTopOfTheBaseAndReturnsTheManifestDigest() throws Exception {
        Path jar = TestJars.jar(dir, "web.jar", "hello");
        ImageBuildRequest request = ImageBuildRequest.builder(jar, openBase.tagReference(), open.image("apps/web", "1"))
                .allowInsecure(true).port(8080).environment("GREETING", "hi").label("team", "payments")
                .cacheDir(dir.resolve("cache")).build();

        PushedImage pushed = new ImageBuilder().buildAndPush(request, progress);

        assertThat(pushed.repository()).isEqualTo(open.host() + "/apps/web");
        assertThat(pushed.tag()).isEqualTo("1");
        assertThat(pushed.reference()).isEqualTo(open.host() + "/apps/web@" + pushed.digest());
        RegistryApi api = open.api();
        RegistryApi.Manifest manifest = api.manifest("apps/web", "1").orElseThrow();
        assertThat(manifest.digest()).isEqualTo(pushed.digest());
        assertThat(api.manifest("apps/web", pushed.digest())).isPresent();
        assertThat(manifest.layerDigests()).hasSize(2).startsWith(openBase.layerDigest());
        assertThat(TinyBaseImage.layerEntries(api.blob("apps/web", manifest.layerDigests().get(1))))
                .anyMatch(name -> name.endsWith("app/web.jar"));
        JsonNode config = api.config("apps/web", manifest).path("config");
        assertThat(config.path("Entrypoint").toString()).isEqualTo("[\"java\",\"-jar\",\"/app/web.jar\"]");
        assertThat(config.path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(config.path("Env").toString()).contains("GREETING=hi", "PATH=");
        assertThat(config.path("Labels").path("team").asText()).isEqualTo("payments");
        assertThat(log).anyMatch(l -> l.startsWith("[plan] build " + open.image("apps/web", "1")));
    }

    @Test
    void keepsTheDigestWhenTheSameJarIsPushedAgain() throws Exception {
        Path jar = TestJars.jar(dir, "web.jar", "same content");
        ImageBuildRequest request = ImageBuildRequest.builder(jar, openBase.tagReference(),
                open.image("apps/again", "1")).allowInsecure(true).cacheDir(dir.resolve("cache")).build();

        PushedImage first = new ImageBuilder().buildAndPush(request, progress);
        PushedImage second = new ImageBuilder().buildAndPush(request, progress);

        assertThat(second.digest()).isEqualTo(first.digest());
    }

    @Test
    void changesTheDigestWhenTheJarChanges() throws Exception {
        Path v1 = TestJars.jar(Files.createDirectories(dir.resolve("v1")), "web.jar", "one");
        Path v2 = TestJars.jar(Files.createDirectories(dir.resolve("v2")), "web.jar", "two");
        ImageBuilder builder = new ImageBuilder();

        PushedImage first = builder.buildAndPush(ImageBuildRequest.builder(v1, openBase.tagReference(),
                open.image("apps/changed", "1")).allowInsecure(true).build(), progress);
        PushedImage second = builder.buildAndPush(ImageBuildRequest.builder(v2, openBase.tagReference(),
                open.image("apps/changed", "1")).allowInsecure(true).build(), progress);

        assertThat(second.digest()).isNotEqualTo(first.digest());
        assertThat(open.api().manifest("apps/changed", "1").orElseThrow().digest()).isEqualTo(second.digest());
    }

    @Test
    void copiesADirectoryUnderAppAndKeepsTheBaseEntrypoint() throws Exception {
        Path site = Files.createDirectories(dir.resolve("site/static"));
        Files.writeString(site.resolve("index.html"), "<h1>hi</h1>");
        TinyBaseImage.Pushed server = TinyBaseImage.push(open, "base/server", "1", List.of("/usr/sbin/httpd", "-f"));

        PushedImage pushed = new ImageBuilder().buildAndPush(ImageBuildRequest.builder(dir.resolve("site"),
                server.tagReference(), open.image("apps/site", "1")).allowInsecure(true).build(), progress);

        RegistryApi.Manifest manifest = open.api().manifest("apps/site", pushed.digest()).orElseThrow();
        assertThat(TinyBaseImage.layerEntries(open.api().blob("apps/site", manifest.layerDigests().get(1))))
                .anyMatch(name -> name.endsWith("app/static/index.html"));
        assertThat(open.api().config("apps/site", manifest).path("config").path("Entrypoint").toString())
                .isEqualTo("[\"/usr/sbin/httpd\",\"-f\"]");
    }

    @Test
    void refusesToBuildWhenTheArtifactIsMissingAndPushesNothing() {
        ImageBuildRequest request = ImageBuildRequest.builder(dir.resolve("target/missing.jar"),
                openBase.tagReference(), open.image("apps/missing", "1")).allowInsecure(true).build();

        assertThatThrownBy(() -> new ImageBuilder().buildAndPush(request, progress))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("artifact"));
        assertThat(open.api().tags("apps/missing")).isEmpty();
        assertThat(log).isEmpty();
    }

    @Test
    void refusesAPlainHttpRegistryUnlessInsecureIsAllowed() throws Exception {
        Path jar = TestJars.jar(dir, "web.jar", "x");
        ImageBuildRequest request = ImageBuildRequest.builder(jar, openBase.tagReference(),
                open.image("apps/strict", "1")).build();

        assertThatThrownBy(() -> new ImageBuilder().buildAndPush(request, progress))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("does not speak HTTPS").hasMessageContaining("insecure")
                .hasMessageContaining("nothing was pushed");
        assertThat(open.api().tags("apps/strict")).isEmpty();
    }

    @Test
    void pushesToAPasswordProtectedRegistryWithCredentials() throws Exception {
        Path jar = TestJars.jar(dir, "web.jar", "secured");
        ImageBuildRequest request = ImageBuildRequest.builder(jar, protectedBase.tagReference(),
                        protectedRegistry.image("apps/secure", "7"))
                .toCredential(new RegistryCredential.UsernamePassword("ci", "s3cret-Pass"))
                .allowInsecure(true).build();

        PushedImage pushed = new ImageBuilder().buildAndPush(request, progress);

        assertThat(protectedRegistry.api().manifest("apps/secure", "7").orElseThrow().digest())
                .isEqualTo(pushed.digest());
        assertThat(String.join("\n", log)).doesNotContain("s3cret-Pass");
    }

    @Test
    void failsClearlyWhenTheRegistryRejectsTheCredentials() throws Exception {
        Path jar = TestJars.jar(dir, "web.jar", "secured");
        ImageBuildRequest request = ImageBuildRequest.builder(jar, protectedBase.tagReference(),
                        protectedRegistry.image("apps/rejected", "1"))
                .toCredential(new RegistryCredential.UsernamePassword("ci", "wrong-password"))
                .allowInsecure(true).build();

        assertThatThrownBy(() -> new ImageBuilder().buildAndPush(request, progress))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("refused access")
                .hasMessageContaining("as user ci")
                .hasMessageNotContaining("wrong-password");
        assertThat(protectedRegistry.api().tags("apps/rejected")).isEmpty();
    }

    @Test
    void failsClearlyWhenTheBaseImageDoesNotExist() throws Exception {
        Path jar = TestJars.jar(dir, "web.jar", "x");
        ImageBuildRequest request = ImageBuildRequest.builder(jar, open.image("base/nope", "1"),
                open.image("apps/nobase", "1")).allowInsecure(true).build();

        assertThatThrownBy(() -> new ImageBuilder().buildAndPush(request, progress))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("base/nope")
                .hasMessageContaining("nothing was pushed");
        assertThat(open.api().tags("apps/nobase")).isEmpty();
    }

    @Test
    void refusesAnUntrustedCertificateUnlessInsecureIsAllowed() throws Exception {
        Path jar = TestJars.jar(dir, "web.jar", "x");
        ImageBuildRequest request = ImageBuildRequest.builder(jar, protectedBase.tagReference(),
                        protectedRegistry.image("apps/untrusted", "1"))
                .toCredential(new RegistryCredential.UsernamePassword("ci", "s3cret-Pass")).build();

        assertThatThrownBy(() -> new ImageBuilder().buildAndPush(request, progress))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("does not trust");
        assertThat(protectedRegistry.api().tags("apps/untrusted")).isEmpty();
    }

    @Test
    void failsFastWhenTheRegistryIsUnreachable() throws Exception {
        Path jar = TestJars.jar(dir, "web.jar", "x");
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ImageBuildRequest request = ImageBuildRequest.builder(jar, openBase.tagReference(),
                "127.0.0.1:" + closedPort + "/apps/web:1").allowInsecure(true).build();

        assertThatThrownBy(() -> new ImageBuilder().buildAndPush(request, progress))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("cannot reach the registry 127.0.0.1:" + closedPort);
    }

    @Test
    void pullsAProtectedBaseWithItsOwnCredentialsAndPushesElsewhere() throws Exception {
        Path jar = TestJars.jar(dir, "web.jar", "cross");
        ImageBuildRequest request = ImageBuildRequest.builder(jar, protectedBase.tagReference(),
                        open.image("apps/cross", "1"))
                .fromCredential(new RegistryCredential.UsernamePassword("ci", "s3cret-Pass"))
                .allowInsecure(true).build();

        PushedImage pushed = new ImageBuilder().buildAndPush(request, progress);

        RegistryApi.Manifest manifest = open.api().manifest("apps/cross", "1").orElseThrow();
        assertThat(manifest.digest()).isEqualTo(pushed.digest());
        assertThat(manifest.layerDigests()).startsWith(protectedBase.layerDigest());
    }

    @Test
    void namesTheBaseImageWhenItsRegistryRefusesAnonymousPulls() throws Exception {
        Path jar = TestJars.jar(dir, "web.jar", "cross");
        ImageBuildRequest request = ImageBuildRequest.builder(jar, protectedBase.tagReference(),
                open.image("apps/cross-refused", "1")).allowInsecure(true).build();

        assertThatThrownBy(() -> new ImageBuilder().buildAndPush(request, progress))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("refused access to " + protectedBase.tagReference() + " anonymously")
                .hasMessageContaining("for the base image");
        assertThat(open.api().tags("apps/cross-refused")).isEmpty();
    }
}
