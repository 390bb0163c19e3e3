package io.jenkins.plugins.kubeplatform.cli.sim;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.sim.ClientRateLimit;
import io.jenkins.plugins.kubeplatform.sim.Cni;
import io.jenkins.plugins.kubeplatform.sim.FaultProfile;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import io.jenkins.plugins.kubeplatform.sim.auth.AuthenticatingFront;
import io.jenkins.plugins.kubeplatform.sim.model.Cidr;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kubeplatform sim serve}: runs the simulated cluster as a plain-HTTP API server on 127.0.0.1, prints its URL
 * on one line and serves until the process is stopped.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the simulated cluster as an API server on 127.0.0.1 (plain HTTP; --rbac authorizes, "
                + "--tls adds HTTPS with certificate, token and password authentication); "
                + "prints its URL, then serves until stopped (Ctrl-C). Point the CLI at it with --server URL, "
                + "or kubectl with --server URL. GET URL/sim/requests counts the API requests served (DELETE resets).")
public final class SimServeCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "P", defaultValue = "8001",
            description = "TCP port on 127.0.0.1 (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "3",
            description = "Number of nodes node-1..N. Default: ${DEFAULT-VALUE}.")
    int nodes;

    @Option(names = "--pod-cidr", paramLabel = "CIDR", defaultValue = SimOptions.DEFAULT_POOL,
            description = "IPv4 pool pods get their addresses from. Default: ${DEFAULT-VALUE}.")
    String podCidr;

    @Option(names = "--cni", paramLabel = "CNI", defaultValue = "calico",
            description = "calico or kube-ovn: which pod IP annotation is honoured. Default: ${DEFAULT-VALUE}.")
    String cni;

    @Option(names = "--speed", paramLabel = "FACTOR", defaultValue = "1",
            description = "Time factor: simulated delays (image pull, start, readiness, jobs) are divided by it. "
                    + "Default: ${DEFAULT-VALUE}.")
    double speed;

    @Option(names = "--rbac",
            description = "Authorize requests with RBAC: Roles, ClusterRoles and bindings in the cluster are "
                    + "enforced for callers identified by bearer token (an admin token is printed after the URL; "
                    + "kubectl create token SA issues service account tokens); denials are the API server's 403.")
    boolean rbac;

    @Option(names = "--tls",
            description = "Also serve HTTPS on a free port of 127.0.0.1 with a throw-away CA (written to a file whose "
                    + "path is printed): client certificates signed by it, bearer tokens and passwords are "
                    + "authenticated against the cluster's identities and, with --rbac, authorized. kubectl sends "
                    + "bearer tokens only over HTTPS: point it at this URL with --certificate-authority FILE.")
    boolean tls;

    @Option(names = "--image-pull", paramLabel = "DURATION", defaultValue = "1s",
            description = "Simulated image pull per pod (pods pull in parallel, on every node). Default: ${DEFAULT-VALUE}.")
    String imagePull;

    @Option(names = "--container-start", paramLabel = "DURATION", defaultValue = "1s",
            description = "Simulated container start after the pull. Default: ${DEFAULT-VALUE}.")
    String containerStart;

    @Option(names = "--readiness", paramLabel = "DURATION", defaultValue = "1s",
            description = "Simulated time until a readiness probe first passes. Default: ${DEFAULT-VALUE}.")
    String readiness;

    @Option(names = "--pod-termination", paramLabel = "DURATION", defaultValue = "500ms",
            description = "Simulated time the kubelet takes to stop a deleted pod's containers and free its address "
                    + "(never longer than the pod's grace period); the pod is Terminating until then. "
                    + "Default: ${DEFAULT-VALUE}.")
    String podTermination;

    @Option(names = "--no-controllers", description = "Serve the API only: no scheduler, kubelets or other controllers "
            + "(pods stay Pending, as on a bare control plane), e.g. to drive it with `sim controllers`.")
    boolean noControllers;

    @Option(names = "--controller-limits", description = "Limit the simulated controllers' clients as a control "
            + "plane's defaults do: 20 requests/s, burst 30 per kube-controller-manager controller; 50/s, burst 100 "
            + "for the scheduler (the kubelet is not limited).")
    boolean controllerLimits;

    @Option(names = "--faults", paramLabel = "KIND:P,...",
            description = "Inject random API faults into requests from outside the simulation, e.g. "
                    + "503:0.2,429:0.1,reset:0.05,drop-watch:0.3. Kinds: 500, 503, 429 (with Retry-After: 1), reset "
                    + "(the connection breaks without an answer), drop-watch (the server closes a watch after up to "
                    + "2 s). Each P is a probability per request between 0 and 1.")
    String faults;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the fault generator: the same requests in the same order meet the same faults. "
                    + "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Spec
    CommandSpec spec;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private AuthenticatingFront front;

    @Override
    public Integer call() throws Exception {
        SimOptions options = options();
        java.util.Optional<FaultProfile> profile = faultProfile();
        CliContext context = CliContext.of(spec);
        boolean interrupted = false;
        try (SimulatedCluster sim = SimulatedCluster.start(options)) {
            Thread hook = new Thread(() -> {
                stopped.countDown();
                sim.close();
            }, "sim-serve-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            profile.ifPresent(p -> sim.faults().random(p, seed, java.time.Duration.ofSeconds(2)));
            String adminToken = rbac ? sim.tokens().user("admin", "system:masters") : "";
            Map<String, Object> served = new java.util.LinkedHashMap<>(Map.of("url", sim.url(), "nodes", nodes,
                    "podCidr", podCidr, "cni", cni, "requestLog", sim.url() + "/sim/requests"));
            if (rbac) {
                served.put("adminToken", adminToken);
            }
            profile.ifPresent(p -> {
                served.put("faults", p.toString());
                served.put("seed", seed);
            });
            if (tls) {
                front = sim.authenticatingFront(sim.certificates());
                java.nio.file.Path ca = java.nio.file.Files.createTempFile("kubeplatform-sim-ca-", ".crt");
                ca.toFile().deleteOnExit();
                java.nio.file.Files.writeString(ca, front.caPem());
                served.put("tlsUrl", front.url());
                served.put("certificateAuthority", ca.toString());
            }
            context.result(served, out -> {
                out.println(sim.url());
                profile.ifPresent(p -> out.println("injecting faults " + p + " (seed " + seed + ")"));
                if (rbac) {
                    out.println("admin token (group system:masters): " + adminToken);
                }
                if (tls) {
                    out.println("https: " + served.get("tlsUrl") + " (certificate authority "
                            + served.get("certificateAuthority") + ")");
                }
            });
            try {
                stopped.await();
            } catch (InterruptedException e) {
                // stopping is the normal end; the flag is restored once the cluster is closed
                interrupted = true;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is already running
                }
            }
        } finally {
            if (front != null) {
                front.close();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The options from the arguments; invalid ones fail before anything starts. */
    SimOptions options() {
        if (port < 0 || port > 65535) {
            throw new InvalidInputException("--port", "must be between 0 and 65535");
        }
        if (nodes < 0 || nodes > 500) {
            throw new InvalidInputException("--nodes", "must be between 0 and 500");
        }
        try {
            Cidr parsed = Cidr.parse(podCidr);
            if (parsed.prefix() > 30) {
                throw new InvalidInputException("--pod-cidr", "must be an IPv4 CIDR of /30 or larger");
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--pod-cidr", "must be an IPv4 CIDR like 10.42.0.0/16");
        }
        Cni mode = switch (cni.toLowerCase(java.util.Locale.ROOT)) {
            case "calico" -> Cni.CALICO;
            case "kube-ovn", "kubeovn", "kube_ovn" -> Cni.KUBE_OVN;
            default -> throw new InvalidInputException("--cni", "must be calico or kube-ovn");
        };
        if (!(speed > 0) || speed > 10_000) {
            throw new InvalidInputException("--speed", "must be greater than 0 and at most 10000");
        }
        return SimOptions.builder().port(port).nodes(nodes).calicoPool(podCidr).cni(mode).speed(speed).rbac(rbac)
                .controllerRateLimit(controllerLimits ? ClientRateLimit.CONTROLLER_MANAGER_DEFAULTS : null)
                .schedulerRateLimit(controllerLimits ? ClientRateLimit.SCHEDULER_DEFAULTS : null)
                .imagePullDelay(delay("--image-pull", imagePull))
                .containerStartDelay(delay("--container-start", containerStart))
                .readinessDelay(delay("--readiness", readiness))
                .podTerminationDelay(delay("--pod-termination", podTermination))
                .builtInControllers(!noControllers).build();
    }

    /** The --faults profile, refused with the entry and the rule before anything starts. */
    java.util.Optional<FaultProfile> faultProfile() {
        if (faults == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(FaultProfile.parse(faults));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--faults", e.getMessage().replaceFirst("^--faults: ", ""));
        }
    }

    private static java.time.Duration delay(String option, String value) {
        if (value != null && value.trim().matches("0+(ms|s|m)?")) {
            return java.time.Duration.ZERO;
        }
        java.time.Duration d = io.jenkins.plugins.kubeplatform.engine.core.Require.duration(option, value);
        if (d.compareTo(java.time.Duration.ofMinutes(10)) > 0) {
            throw new InvalidInputException(option, "must be at most 10m; got " + value);
        }
        return d;
    }
}
