package io.jenkins.plugins.kubeplatform.cli.expose;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.cli.ExitCodes;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeEngine;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeRequest;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubeplatform expose}: a conflict-free host, the Service and an Ingress or HTTPRoute for an app. */
@Command(name = "expose", mixinStandardHelpOptions = true, subcommands = ExposeListCommand.class,
        description = {"Give an app a conflict-free host ({app}.{namespace}.{suffix}; names in any script are "
                + "transliterated), ensure its Service, create an Ingress or HTTPRoute and wait until it is admitted. "
                + "In nginx mode also write the platform nginx's server block. Re-running changes nothing.",
                "Example: kubeplatform expose -n shop --app 挖财 --port 8080 -o json"})
public final class ExposeCommand implements Callable<Integer> {

    @Option(names = "--app", paramLabel = "NAME", description = "The app name, in any script (required).")
    String app;

    @Option(names = "--port", paramLabel = "PORT", description = "Service port (required unless --release).")
    Integer port;

    @Option(names = "--target-port", paramLabel = "PORT", description = "Container port (default: --port).")
    Integer targetPort;

    @Option(names = "--host", paramLabel = "HOST", description = "An explicit host instead of the generated one.")
    String host;

    @Option(names = "--service", paramLabel = "NAME", description = "Service name (default: derived from --app).")
    String service;

    @Option(names = "--route", paramLabel = "KIND", description = "ingress, httproute or none (nginx mode only).")
    String route;

    @Option(names = "--on-conflict", paramLabel = "POLICY",
            description = "fail (name the owner) or next-free (take app-2, app-3, ...).")
    String onConflict;

    @Option(names = "--upstream", paramLabel = "HOST:PORT",
            description = "nginx mode: where requests go (default: the ready endpoints of the Service).")
    String upstream;

    @Option(names = "--verify", description = "Request the URL through the entry point with the Host header.")
    boolean verify;

    @Option(names = "--allow-foreign-host",
            description = "Allow an explicit --host outside the configured domain suffix.")
    boolean allowForeignHost;

    @Option(names = "--release", description = "Remove the routes exposeApp created for the app (of any kind), its "
            + "nginx blocks, claims and registry entries instead.")
    boolean release;

    @Mixin
    DomainOptions domains;

    @Mixin
    io.jenkins.plugins.kubeplatform.cli.DryRunOption dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // not picocli-required, so that "expose list" does not ask for it
        if (app == null) {
            throw new io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException("--app", "is required");
        }
        CliContext context = CliContext.of(spec);
        String namespace = context.namespace();
        ExposeEngine engine = new ExposeEngine(context.client(), domains.settings(context),
                context.domainRegistry(), context.clock(), context.progress(), context.retry());
        if (release) {
            if (dryRun.requested()) {
                Map<String, Object> subject = new LinkedHashMap<>();
                subject.put("namespace", namespace);
                subject.put("app", app);
                subject.put("release", true);
                return io.jenkins.plugins.kubeplatform.cli.DryRunPlan.print(context, dryRun.mode(), subject,
                        "expose --release " + namespace + "/" + app, engine.planRelease(namespace, app,
                                dryRun.mode() == io.jenkins.plugins.kubeplatform.cli.DryRunOption.Mode.SERVER));
            }
            List<String> changes = engine.release(namespace, app);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("namespace", namespace);
            result.put("app", app);
            result.put("changes", changes);
            context.result(result, out -> out.println(changes.isEmpty() ? "nothing to release" : String.join("\n", changes)));
            return ExitCodes.OK;
        }
        if (port == null) {
            throw new io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException("--port", "is required to expose an app");
        }
        if (host != null && !allowForeignHost) {
            String suffix = domains.settings(context).suffix();
            String h = host.toLowerCase(java.util.Locale.ROOT);
            if (suffix != null && !suffix.isBlank() && !h.endsWith("." + suffix.toLowerCase(java.util.Locale.ROOT))) {
                throw new io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException("--host", "must be under the "
                        + "domain suffix '" + suffix + "' (e.g. name." + suffix + "); to route a host outside it, "
                        + "give --allow-foreign-host explicitly");
            }
        }
        ExposeRequest request = ExposeRequest.builder().namespace(namespace).app(app).port(port).targetPort(targetPort)
                .host(host).service(service).route(route).onConflict(onConflict).upstream(upstream).verify(verify)
                .requestedBy("cli " + System.getProperty("user.name", "user")).build();
        if (dryRun.requested()) {
            Map<String, Object> subject = new LinkedHashMap<>();
            subject.put("namespace", namespace);
            subject.put("app", app);
            return io.jenkins.plugins.kubeplatform.cli.DryRunPlan.print(context, dryRun.mode(), subject,
                    "expose " + namespace + "/" + app, engine.planExpose(request,
                            dryRun.mode() == io.jenkins.plugins.kubeplatform.cli.DryRunOption.Mode.SERVER));
        }
        ExposeResult result = engine.expose(request);
        context.result(result.document(), out -> {
            out.println(result.url());
            out.println("owner:   " + result.owner());
            out.println("service: " + result.namespace() + "/" + result.service());
            if (!result.routeName().isEmpty()) {
                out.println("route:   " + result.route() + " " + result.namespace() + "/" + result.routeName());
            }
            result.address().ifPresent(a -> out.println("address: " + a));
            result.nginxBlock().ifPresent(b -> out.println("nginx:   " + b));
            result.verifyStatus().ifPresent(s -> out.println("verify:  HTTP " + s));
            out.println(result.changes().isEmpty() ? "nothing changed" : result.changes().size() + " change(s)");
        });
        return ExitCodes.OK;
    }
}
