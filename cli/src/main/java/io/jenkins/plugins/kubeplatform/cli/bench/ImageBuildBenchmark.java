package io.jenkins.plugins.kubeplatform.cli.bench;

import io.jenkins.plugins.kubeplatform.cli.bench.spi.BenchOptions;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Benchmark;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Measurement;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Stats;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Daemonless build and push of a small jar to a real registry on 127.0.0.1: the first push (empty repository, cold
 * layer caches), a re-push of the unchanged jar (same digest, no layer uploaded) and a push after the jar changed.
 */
final class ImageBuildBenchmark implements Benchmark {

    @Override
    public String name() {
        return "image";
    }

    @Override
    public String description() {
        return "build and push a small jar with Jib to docker-registry on 127.0.0.1: first push, unchanged re-push, "
                + "changed jar";
    }

    @Override
    public List<Measurement> run(BenchOptions options) throws IOException {
        if (!RegistryBinary.installed()) {
            return List.of(new Measurement("build and push", "not run", 0, "",
                    "docker-registry is not installed (apt-get install docker-registry)"));
        }
        int iterations = options.quick() ? 1 : 6;
        int jarBytes = options.quick() ? 64 * 1024 : 1024 * 1024;
        String size = jarBytes / 1024 + " KiB jar";
        long[] first = new long[iterations];
        long[] unchanged = new long[iterations];
        long[] changed = new long[iterations];
        ImageBuilder builder = new ImageBuilder();
        try (LocalRegistry registry = LocalRegistry.start(RegistryOptions.open())) {
            String base = TinyBaseImage.push(registry, "base/tiny", "1").tagReference();
            for (int i = 0; i < iterations; i++) {
                Path dir = Files.createDirectories(options.workDir().resolve("run-" + i));
                Path jar = jar(dir.resolve("app.jar"), jarBytes, i);
                ImageBuildRequest request = ImageBuildRequest.builder(jar, base, registry.image("bench/app-" + i, "1"))
                        .allowInsecure(true).cacheDir(dir.resolve("cache")).build();
                first[i] = timed(builder, request);
                unchanged[i] = timed(builder, request);
                jar(jar, jarBytes, 1000 + i);
                changed[i] = timed(builder, request);
            }
        }
        // the first run of the process also loads and compiles the image client: reported on its own
        long[] warmFirst = iterations > 1 ? java.util.Arrays.copyOfRange(first, 1, iterations) : first;
        Stats f = new Stats(warmFirst);
        Stats u = new Stats(unchanged);
        Stats c = new Stats(changed);
        String note = iterations + " runs, " + size + ", base image on the same registry";
        return List.of(
                new Measurement("first push in a fresh process (" + size + ")", "once", first[0] / 1e6, "ms",
                        "includes loading the image client"),
                new Measurement("first push (" + size + ", empty repository, cold layer cache)", "p50",
                        f.percentileMillis(50), "ms", note),
                new Measurement("first push (" + size + ", empty repository, cold layer cache)", "max",
                        f.percentileMillis(100), "ms", note),
                new Measurement("re-push unchanged", "p50", u.percentileMillis(50), "ms", note),
                new Measurement("re-push unchanged", "max", u.percentileMillis(100), "ms", note),
                new Measurement("push changed jar", "p50", c.percentileMillis(50), "ms", note),
                new Measurement("push changed jar", "max", c.percentileMillis(100), "ms", note));
    }

    private static long timed(ImageBuilder builder, ImageBuildRequest request) {
        long start = System.nanoTime();
        PushedImage pushed = builder.buildAndPush(request, Progress.silent());
        long elapsed = System.nanoTime() - start;
        if (!pushed.digest().startsWith("sha256:")) {
            throw new IllegalStateException("unexpected digest " + pushed.digest());
        }
        return elapsed;
    }

    /** A jar of incompressible content, so the measured upload is the jar's real size. */
    private static Path jar(Path file, int bytes, long seed) throws IOException {
        byte[] content = new byte[bytes];
        new Random(seed).nextBytes(content);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, new Manifest())) {
            JarEntry entry = new JarEntry("data.bin");
            entry.setTime(0);
            jar.putNextEntry(entry);
            jar.write(content);
            jar.closeEntry();
        }
        return file;
    }
}
