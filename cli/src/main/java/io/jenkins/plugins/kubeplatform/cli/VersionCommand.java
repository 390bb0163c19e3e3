package io.jenkins.plugins.kubeplatform.cli;

import io.fabric8.kubernetes.client.VersionInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubeplatform version}: the client's version and the API server's ({@code /version}). */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Print the client version and the API server's version (GET /version).")
public final class VersionCommand implements Callable<Integer> {

    @Option(names = "--client", description = "Only the client version; do not contact the server.")
    boolean clientOnly;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (CliContext context = CliContext.of(spec)) {
            Map<String, Object> result = new LinkedHashMap<>();
            Map<String, Object> client = new LinkedHashMap<>();
            client.put("version", VersionProvider.version());
            client.put("kubernetesClient", io.fabric8.kubernetes.client.Version.clientVersion());
            result.put("clientVersion", client);
            if (!clientOnly) {
                VersionInfo server = context.client().getKubernetesVersion();
                Map<String, Object> serverMap = new LinkedHashMap<>();
                serverMap.put("gitVersion", server.getGitVersion());
                serverMap.put("major", server.getMajor());
                serverMap.put("minor", server.getMinor());
                serverMap.put("platform", server.getPlatform());
                serverMap.put("url", context.connection().server());
                result.put("serverVersion", serverMap);
            }
            context.result(result, out -> {
                out.println("Client Version: " + client.get("version") + " (fabric8 kubernetes-client "
                        + client.get("kubernetesClient") + ")");
                if (result.get("serverVersion") instanceof Map<?, ?> s) {
                    out.println("Server Version: " + s.get("gitVersion") + " (" + s.get("url") + ")");
                }
            });
            return ExitCodes.OK;
        }
    }
}
