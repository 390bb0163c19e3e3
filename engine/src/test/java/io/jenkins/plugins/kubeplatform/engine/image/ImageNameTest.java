package io.jenkins.plugins.kubeplatform.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ImageName} against the rules of distribution/reference ({@code ParseNormalizedNamed},
 * {@code splitDockerDomain}, {@code ParseDockerRef}) as containerd applies them, and the API server's default pull
 * policy ({@code SetDefaults_Container} with {@code parsers.ParseImageName}). The expected names are those containerd
 * reports in {@code RepoTags}/{@code RepoDigests} (e.g. {@code crictl images --digests}).
 */
class ImageNameTest {

    private static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @ParameterizedTest(name = "{0} is looked up as {1}")
    @CsvSource({
            "nginx, docker.io/library/nginx:latest",
            "nginx:1.27, docker.io/library/nginx:1.27",
            "bitnami/redis:7.2, docker.io/bitnami/redis:7.2",
            "docker.io/nginx:1.27, docker.io/library/nginx:1.27",
            "index.docker.io/library/nginx:1.27, docker.io/library/nginx:1.27",
            "docker.io/library/nginx:1.27, docker.io/library/nginx:1.27",
            "localhost/web:1, localhost/web:1",
            "localhost:5000/web, localhost:5000/web:latest",
            "registry.example.com:5000/team/web:2, registry.example.com:5000/team/web:2",
            "quay.io/prometheus/node-exporter:v1.8.2, quay.io/prometheus/node-exporter:v1.8.2",
            "ghcr.io/a_b/c__d/e--f:1_x.Y-z, ghcr.io/a_b/c__d/e--f:1_x.Y-z",
            "nginx@sha256:" + HEX + ", docker.io/library/nginx@sha256:" + HEX,
            "nginx:1.27@sha256:" + HEX + ", docker.io/library/nginx@sha256:" + HEX,
            "registry.example.com/web:2@sha256:" + HEX + ", registry.example.com/web@sha256:" + HEX,
    })
    void normalisesAsContainerdNamesTheImage(String reference, String expected) {
        assertThat(ImageName.parse(reference)).map(ImageName::lookupName).hasValue(expected);
    }

    @ParameterizedTest(name = "{0} defaults to {1}")
    @CsvSource({
            "nginx, Always",
            "nginx:latest, Always",
            "registry.example.com/web:latest, Always",
            "localhost:5000/web, Always",
            "nginx:1.27, IfNotPresent",
            "nginx:latest-alpine, IfNotPresent",
            "nginx@sha256:" + HEX + ", IfNotPresent",
            "nginx:1.27@sha256:" + HEX + ", IfNotPresent",
            // ParseImageName keeps the tag beside the digest: latest it is
            "nginx:latest@sha256:" + HEX + ", Always",
    })
    void defaultsThePullPolicyAsTheApiServerDoes(String reference, String expected) {
        assertThat(ImageName.parse(reference)).map(ImageName::defaultPullPolicy).hasValue(expected);
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(strings = {
            "",
            "NGINX:1.27",
            "shop/Web:1",
            "nginx:",
            "nginx:1.27 ",
            "nginx:-1",
            "nginx@sha256:abc",
            "nginx@sha256:" + HEX + "00",
            "nginx@md5:0123456789abcdef0123456789abcdef",
            "nginx@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
            HEX,
            "registry.example.com/",
            "registry.example.com//web",
            "web-:1",
            "-registry.example.com/web:1",
    })
    void refusesWhatContainerdCannotParse(String reference) {
        assertThat(ImageName.parse(reference)).isEmpty();
    }

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({
            "nginx:1.27, docker.io, library/nginx",
            "localhost:5000/a/b:1, localhost:5000, a/b",
            "[fd00::1]:5000/web:1, [fd00::1]:5000, web",
    })
    void splitsRegistryAndRepositoryPath(String reference, String domain, String path) {
        ImageName parsed = ImageName.parse(reference).orElseThrow();

        assertThat(parsed.domain()).isEqualTo(domain);
        assertThat(parsed.path()).isEqualTo(path);
    }
}
