package io.jenkins.plugins.kubeplatform.cli.expose;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.cli.ExitCodes;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeSync;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubeplatform expose-sync}: bring claims, the domain registry and nginx blocks in step with labelled routes. */
@Command(name = "expose-sync", mixinStandardHelpOptions = true,
        description = {"Keep host claims, the domain registry and the nginx server blocks in step with every Ingress "
                + "and HTTPRoute labelled kubeplatform.jenkins.io/expose=true, including ones created outside Jenkins; "
                + "give host-less routes in domains.managedNamespaces (or labelled) a generated host; in nginx mode "
                + "keep upstreams equal to the ready endpoints and certificates equal to their Secrets. "
                + "Runs one pass, or with --watch keeps running and reacts to changes."})
public final class ExposeSyncCommand implements Callable<Integer> {

    @Option(names = "--watch", description = "Keep running; a pass follows every change of a route, of the "
            + "endpoints of a served Service and of a TLS Secret in use.")
    boolean watch;

    @Mixin
    DomainOptions domains;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CliContext context = CliContext.of(spec);
        ExposeSync sync = new ExposeSync(context.client(), domains.settings(context),
                context.domainRegistry(), context.clock(), context.progress(), context.retry());
        if (watch) {
            CountDownLatch stopped = new CountDownLatch(1);
            try (AutoCloseable watching = sync.watch(Duration.ofMillis(500))) {
                Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
                stopped.await();
            }
            return ExitCodes.OK;
        }
        ExposeSync.Report report = sync.runOnce();
        context.result(report, out -> {
            report.changes().forEach(out::println);
            report.conflicts().forEach(c -> out.println("conflict: " + c));
            out.println(report.hosts() + " host(s) registered, " + report.changes().size() + " change(s)");
        });
        return report.conflicts().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
