package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.mockwebserver.http.MockResponse;
import io.jenkins.plugins.kubeplatform.sim.api.QueryParams;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The API server's health endpoints, answered as a v1.32 kube-apiserver does (k8s.io/apiserver pkg/server/healthz
 * {@code handleRootHealth}, {@code InstallPathHandler}): {@code /healthz}, {@code /livez} and {@code /readyz} answer
 * {@code ok} as text when every check passes, with {@code ?verbose} one {@code [+]name ok} line per check and
 * {@code <endpoint> check passed}; {@code /readyz/<check>} answers one check; a failing check makes the endpoint 500
 * with the list, the failed one as {@code [-]name failed: reason withheld}, and {@code <endpoint> check failed}.
 *
 * <p>The simulation's own check, {@code poststarthook/sim-seed}, passes once the seeded objects exist and the built-in
 * controllers run, so a script can wait for {@code /readyz} before its first request, as with a real API server that
 * is still starting.
 */
final class HealthChecks {

    private static final List<String> LIVEZ = List.of("ping", "log", "etcd", "poststarthook/sim-seed");
    private static final List<String> READYZ = List.of("ping", "log", "etcd", "etcd-readiness", "informer-sync",
            "poststarthook/sim-seed", "shutdown");
    private static final String SEED = "poststarthook/sim-seed";

    private final BooleanSupplier seeded;

    HealthChecks(BooleanSupplier seeded) {
        this.seeded = seeded;
    }

    /** The answer to a GET of a health path, if {@code path} is one. */
    Optional<MockResponse> answer(String path, String query) {
        for (String endpoint : List.of("healthz", "livez", "readyz")) {
            String root = "/" + endpoint;
            List<String> checks = endpoint.equals("readyz") ? READYZ : LIVEZ;
            if (path.equals(root) || path.equals(root + "/")) {
                return Optional.of(all(endpoint, checks, query));
            }
            if (path.startsWith(root + "/")) {
                String check = path.substring(root.length() + 1);
                if (!checks.contains(check)) {
                    return Optional.of(text(404, "404 page not found\n"));
                }
                return Optional.of(passes(check) ? text(200, "ok")
                        : text(500, "internal server error: " + check + " check failed\n"));
            }
        }
        return Optional.empty();
    }

    private MockResponse all(String endpoint, List<String> checks, String query) {
        boolean verbose = QueryParams.parse(query).get("verbose").isPresent();
        List<String> excluded = excluded(query);
        StringBuilder list = new StringBuilder();
        boolean failed = false;
        for (String check : checks) {
            if (excluded.contains(check)) {
                list.append("[+]").append(check).append(" excluded: ok\n");
            } else if (passes(check)) {
                list.append("[+]").append(check).append(" ok\n");
            } else {
                list.append("[-]").append(check).append(" failed: reason withheld\n");
                failed = true;
            }
        }
        if (failed) {
            return text(500, list + endpoint + " check failed\n");
        }
        return text(200, verbose ? list + endpoint + " check passed\n" : "ok");
    }

    private boolean passes(String check) {
        return !check.equals(SEED) || seeded.getAsBoolean();
    }

    private static MockResponse text(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "text/plain; charset=utf-8")
                .setHeader("X-Content-Type-Options", "nosniff").setBody(body);
    }

    /** The {@code exclude} parameters (repeatable, so not through {@link QueryParams}). */
    private static List<String> excluded(String query) {
        if (query == null || query.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(query.split("&")).filter(p -> p.startsWith("exclude="))
                .map(p -> URLDecoder.decode(p.substring("exclude=".length()), StandardCharsets.UTF_8)).toList();
    }
}
