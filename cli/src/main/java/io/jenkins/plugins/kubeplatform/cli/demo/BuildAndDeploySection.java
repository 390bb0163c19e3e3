package io.jenkins.plugins.kubeplatform.cli.demo;

import io.jenkins.plugins.kubeplatform.sim.registry.LocalRegistry;
import io.jenkins.plugins.kubeplatform.sim.registry.RegistryBinary;
import io.jenkins.plugins.kubeplatform.sim.registry.RegistryOptions;
import io.jenkins.plugins.kubeplatform.sim.registry.TinyBaseImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * stickyIpDeploy with its daemonless build: a jar is layered onto a base image, pushed to a real registry on loopback,
 * and deployed by digest. Needs Debian's docker-registry; without it the section says so and shows nothing else.
 */
final class BuildAndDeploySection implements DemoSection {

    @Override
    public String name() {
        return "build";
    }

    @Override
    public String title() {
        return "stickyIpDeploy with a daemonless image build (Jib): build, push, deploy by digest";
    }

    @Override
    public void run(DemoEnvironment env) throws IOException {
        if (!RegistryBinary.installed()) {
            env.say("Skipped: this section pushes to a real registry on 127.0.0.1 and needs Debian's docker-registry");
            env.say("(apt-get install docker-registry; `bash .ci/run` installs it and runs the build tests).");
            return;
        }
        try (LocalRegistry registry = LocalRegistry.start(RegistryOptions.open())) {
            TinyBaseImage.Pushed base = TinyBaseImage.push(registry, "base/runtime", "1");
            Path jar = writeJar(env.stateDir().resolveSibling("orders.jar"));
            env.say("A registry runs on %s with a base image %s; the workspace holds the built %s.", registry.host(),
                    base.tagReference(), jar.getFileName());
            env.say("No Docker daemon: the jar becomes a layer on the base, the image is pushed, and every replica");
            env.say("runs exactly the pushed digest.");
            env.run("sticky-deploy", "--namespace", StickyIpSection.NAMESPACE, "--name", "orders",
                    "--artifact", jar.toString(), "--from", base.tagReference(),
                    "--to", registry.image("shop/orders", "1.0"), "--insecure",
                    "--replicas", "2", "--port", "8080", "--pool", "default", "--timeout", "2m");
        }
    }

    private static Path writeJar(Path file) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "shop.Orders");
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new JarEntry("shop/orders.txt"));
            jar.write("orders service build 1.0\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return file;
    }
}
