package io.jenkins.plugins.kubeplatform.cli.bench;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.BenchOptions;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Benchmark;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Measurement;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.expose.DomainRegistry;
import io.jenkins.plugins.kubeplatform.engine.expose.DomainTemplate;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeEngine;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeRequest;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeSettings;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.util.ArrayList;
import java.util.List;

/**
 * exposeApp: host generation throughput (transliteration, slugging, template) and API requests per expose against
 * the simulated cluster, first run and re-run, next to the minimum an implementation needs.
 */
final class ExposeBenchmark implements Benchmark {

    /** create claim, create Service, create Ingress, watch for admission, plus the two lists that find foreign hosts. */
    static final int MINIMUM_FIRST = 6;
    /** the two lists, the claim, the Service and the Ingress must be read to know nothing changed. */
    static final int MINIMUM_RERUN = 5;

    private static final String[] NAMES = {"挖财", "重庆银行", "shop-api", "привет-мир", "Café Crème", "订单服务v2",
            "payments", "서울", "a-very-long-application-name-that-needs-cutting-" + "x".repeat(40)};

    @Override
    public String name() {
        return "expose";
    }

    @Override
    public String description() {
        return "exposeApp: hosts generated per second (mixed scripts) and API requests per expose vs the minimum";
    }

    @Override
    public List<Measurement> run(BenchOptions options) throws Exception {
        List<Measurement> out = new ArrayList<>();
        DomainTemplate template = DomainTemplate.parse("domains.template", null);
        template.host("预热", 1, "default", "apps.example.test"); // loads the dictionaries
        int iterations = options.quick() ? 2_000 : 200_000;
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            template.host(NAMES[i % NAMES.length] + (i % 97), 1, "team-" + (i % 13), "apps.example.test");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.add(Measurement.of("host generation (mixed scripts)", "throughput", iterations / seconds, "hosts/s"));

        try (SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().createMissingNamespaces(true).build())) {
            ExposeEngine engine = new ExposeEngine(sim.client(), ExposeSettings.builder().suffix("apps.example.test")
                    .route("ingress").admitTimeout("30s").build(),
                    DomainRegistry.fileStore(options.workDir().resolve("expose")),
                    CliContext.CLOCK, Progress.silent(), CliContext.RETRY);
            int apps = options.quick() ? 2 : 10;
            long first = 0;
            long rerun = 0;
            long firstNanos = 0;
            for (int i = 0; i < apps; i++) {
                sim.requests().clear();
                long t = System.nanoTime();
                engine.expose(ExposeRequest.of("default", "bench-" + i, 8080, "bench"));
                firstNanos += System.nanoTime() - t;
                first += apiRequests(sim);
                sim.requests().clear();
                engine.expose(ExposeRequest.of("default", "bench-" + i, 8080, "bench"));
                rerun += apiRequests(sim);
            }
            out.add(new Measurement("expose, first run (Ingress)", "API requests", (double) first / apps, "requests",
                    "minimum " + MINIMUM_FIRST));
            out.add(new Measurement("expose, re-run (nothing to change)", "API requests", (double) rerun / apps,
                    "requests", "minimum " + MINIMUM_RERUN + "; 0 writes"));
            out.add(Measurement.of("expose, first run (Ingress)", "mean latency incl. 200 ms simulated admission",
                    firstNanos / 1e6 / apps, "ms"));
        }
        return out;
    }

    private static long apiRequests(SimulatedCluster sim) {
        return sim.requests().list().stream().filter(r -> !r.isDiscovery()).count();
    }
}
