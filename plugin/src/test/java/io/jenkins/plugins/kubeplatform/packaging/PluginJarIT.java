package io.jenkins.plugins.kubeplatform.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** Checks the packaged plugin jar, as Jenkins will load it. */
class PluginJarIT {

    private static final Path JAR = Path.of("target", "kubernetes-platform-steps.jar");

    @Test
    void indexesTheGlobalConfigurationAsAnExtension() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            JarEntry index = jar.getJarEntry("META-INF/annotations/hudson.Extension");
            assertThat(index).as("sezpoz index of @Extension").isNotNull();
            String text = new String(jar.getInputStream(index).readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(text).contains("io.jenkins.plugins.kubeplatform.kube.KubePlatformConfiguration");
        }
    }

    @Test
    void indexesSymbols() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            JarEntry index = jar.getJarEntry("META-INF/services/annotations/org.jenkinsci.Symbol");
            assertThat(index).as("annotation-indexer index of @Symbol").isNotNull();
            String text = new String(jar.getInputStream(index).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text.lines()).contains("io.jenkins.plugins.kubeplatform.kube.KubePlatformConfiguration");
        }
    }

    @Test
    void indexesEveryStepDescriptorAsAnExtensionWithASymbol() throws IOException {
        List<String> steps = List.of("stickyip.StickyIpDeployStep$DescriptorImpl", "expose.ExposeAppStep$DescriptorImpl",
                "repair.RepairNodeStep$DescriptorImpl", "edgevm.ProvisionEdgeVmStep$DescriptorImpl");
        try (JarFile jar = new JarFile(JAR.toFile())) {
            String extensions = new String(jar.getInputStream(jar.getJarEntry("META-INF/annotations/hudson.Extension"))
                    .readAllBytes(), StandardCharsets.ISO_8859_1);
            List<String> symbols = new String(jar.getInputStream(
                    jar.getJarEntry("META-INF/services/annotations/org.jenkinsci.Symbol")).readAllBytes(),
                    StandardCharsets.UTF_8).lines().toList();
            for (String step : steps) {
                String name = "io.jenkins.plugins.kubeplatform." + step;
                assertThat(extensions).as("@Extension index").contains(name);
                assertThat(symbols).as("@Symbol index").contains(name);
            }
        }
    }

    @Test
    void containsNoStandInClass() throws IOException {
        assertThat(Files.exists(JAR)).isTrue();
        List<String> leaked = new ArrayList<>();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            jar.stream().map(JarEntry::getName)
                    .filter(n -> n.endsWith(".class") && !n.startsWith("io/jenkins/plugins/kubeplatform/"))
                    .forEach(leaked::add);
        }
        assertThat(leaked).as("classes outside the plugin's own package").isEmpty();
    }
}
