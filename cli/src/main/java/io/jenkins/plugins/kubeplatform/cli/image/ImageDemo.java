package io.jenkins.plugins.kubeplatform.cli.image;

import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.image.ImageBuildRequest;
import io.jenkins.plugins.kubeplatform.engine.image.ImageBuilder;
import io.jenkins.plugins.kubeplatform.engine.image.PushedImage;
import io.jenkins.plugins.kubeplatform.sim.registry.LocalRegistry;
import io.jenkins.plugins.kubeplatform.sim.registry.RegistryBinary;
import io.jenkins.plugins.kubeplatform.sim.registry.RegistryOptions;
import io.jenkins.plugins.kubeplatform.sim.registry.TinyBaseImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The image part of {@code kubeplatform demo}: a freshly packaged jar built into an image and pushed, without a Docker
 * daemon, to a throw-away registry on 127.0.0.1; the returned digest reference is what the demo then deploys.
 */
public final class ImageDemo {

    private ImageDemo() {
    }

    /** Empty when Debian's docker-registry is not installed (the demo then deploys a prebuilt image instead). */
    public static Optional<PushedImage> buildAndPush(Path workDir, Progress progress) throws IOException {
        if (!RegistryBinary.installed()) {
            progress.warn("image build skipped: docker-registry is not installed (apt-get install docker-registry)");
            return Optional.empty();
        }
        Path jar = demoJar(Files.createDirectories(workDir.resolve("target")).resolve("web.jar"));
        try (LocalRegistry registry = LocalRegistry.start(RegistryOptions.open())) {
            progress.step("started a throw-away image registry on " + registry.host());
            String base = TinyBaseImage.push(registry, "base/tiny", "1").tagReference();
            ImageBuildRequest request = ImageBuildRequest.builder(jar, base, registry.image("demo/web", "1"))
                    .allowInsecure(true)
                    .port(8080)
                    .cacheDir(workDir.resolve("layer-cache"))
                    .build();
            return Optional.of(new ImageBuilder().buildAndPush(request, progress));
        }
    }

    private static Path demoJar(Path file) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "demo.Web");
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            JarEntry entry = new JarEntry("demo/greeting.txt");
            entry.setTime(0);
            jar.putNextEntry(entry);
            jar.write("hello from the kubeplatform demo\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return file;
    }
}
