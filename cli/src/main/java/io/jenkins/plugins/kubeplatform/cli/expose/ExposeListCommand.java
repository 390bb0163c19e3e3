package io.jenkins.plugins.kubeplatform.cli.expose;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.cli.ExitCodes;
import io.jenkins.plugins.kubeplatform.engine.expose.DomainRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kubeplatform expose list}: every registered host with its owner and where nginx sends its traffic. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List the domain registry: host -> owner (namespace/app) -> upstream addresses (the ready "
                + "endpoints the platform's nginx balances over, as of the last expose or sync pass)."})
public final class ExposeListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CliContext context = CliContext.of(spec);
        DomainRegistry registry = context.domainRegistry().read();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (DomainRegistry.Entry e : registry.hosts().values()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("host", e.host());
            row.put("owner", e.owner());
            row.put("upstreams", e.servers());
            row.put("service", e.service() == null || e.service().isEmpty() ? null : e.namespace() + "/" + e.service());
            row.put("route", e.route());
            row.put("requestedBy", e.requestedBy());
            row.put("source", e.source());
            row.put("updatedAt", e.updatedAt() == null ? null : e.updatedAt().toString());
            rows.add(row);
        }
        context.result(Map.of("hosts", rows), out -> {
            if (rows.isEmpty()) {
                out.println("no hosts registered");
            }
            for (DomainRegistry.Entry e : registry.hosts().values()) {
                out.println(e.host() + " -> " + e.owner() + " -> "
                        + (e.servers().isEmpty() ? (e.upstream() == null ? "(no upstream known)" : e.upstream())
                        : String.join(", ", e.servers())));
            }
        });
        return ExitCodes.OK;
    }
}
