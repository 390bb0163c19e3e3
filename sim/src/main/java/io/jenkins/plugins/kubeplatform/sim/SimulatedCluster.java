package io.jenkins.plugins.kubeplatform.sim;

import io.jenkins.plugins.kubeplatform.sim.auth.SimTokens;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An embedded Kubernetes API server (fabric8's mock in CRUD mode) plus simulated controllers: scheduler, kubelet,
 * IPAM, workload controllers, endpoints, eviction with disruption budgets, and whatever {@link SimController}s are
 * added. Plain HTTP on 127.0.0.1, no authentication.
 *
 * <pre>
 * try (SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(50).build())) {
 *     KubernetesClient client = sim.client();
 * }
 * </pre>
 */
public final class SimulatedCluster implements AutoCloseable {

    /** The Kubernetes version the simulated cluster answers as: its API server ({@code /version}) and kubelets. */
    public static final String KUBERNETES_VERSION = "v1.32.4";

    /** Held so the level sticks: the mock logs every request at INFO otherwise. */
    private static final Logger MOCK_LOG = Logger.getLogger(MockWebServer.class.getName());

    static {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    private final SimOptions options;
    private final Clock clock;
    private final RequestLog requests = new RequestLog();
    private final Faults faults = new Faults();
    private final SimTokens tokens = new SimTokens();
    private final KubernetesMockServer server;
    private final String url;
    private final KubernetesClient client;
    private final KubernetesClient internalClient;
    private final List<Running> controllers = new ArrayList<>();
    /** kube-controller-manager's informers, shared by the controllers that run there. */
    private final SharedInformers controllerManager;
    private final SimNodes nodes;
    private final SimPods pods;

    private final SimDispatcher dispatcher;

    private record Running(SimController controller, SimContext context) {
    }

    private SimulatedCluster(SimOptions options, Clock clock) {
        this.options = options;
        this.clock = clock;
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        this.dispatcher = new SimDispatcher(new IndexedCrudDispatcher(), requests, faults, clock,
                tokens, options.rbac());
        dispatcher.createMissingNamespaces(options.createMissingNamespaces());
        this.server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new SimHttpServer(),
                expectations, dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), options.port());
        this.url = "http://127.0.0.1:" + server.getPort();
        this.client = newClient();
        this.internalClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(baseConfig())
                .withCustomHeaders(Map.of(SimDispatcher.INTERNAL_HEADER, "controller"))
                .build()).build();
        this.controllerManager = new SharedInformers("kube-controller-manager", internalClient);
        this.nodes = new SimNodes(internalClient, clock);
        this.pods = new SimPods(internalClient, clock);
    }

    /** The controllers a real kube-controller-manager runs, each with its own client and request limit. */
    private static final java.util.Set<String> CONTROLLER_MANAGER = java.util.Set.of("deployment-controller",
            "replicaset-controller", "endpoint-controller", "statefulset-controller", "daemonset-controller",
            "job-controller", "disruption-controller", "node-lifecycle", "serviceaccount-controller",
            "resourcequota-controller", "root-ca-cert-publisher");
    /**
     * The controllers that share kube-controller-manager's informers: those above, the garbage collector and the
     * token controller (which run there too, without a request limit of their own here).
     */
    static final java.util.Set<String> SHARING_INFORMERS;

    static {
        java.util.Set<String> sharing = new java.util.HashSet<>(CONTROLLER_MANAGER);
        sharing.add("garbage-collector");
        sharing.add("token-controller");
        SHARING_INFORMERS = java.util.Set.copyOf(sharing);
    }

    private java.util.Optional<ClientRateLimit> rateLimit(String controller) {
        if (CONTROLLER_MANAGER.contains(controller)) {
            return options.controllerRateLimit();
        }
        return controller.equals("scheduler") ? options.schedulerRateLimit() : java.util.Optional.empty();
    }

    /**
     * A controller's own client, its requests limited as {@code limit} says (each controller of a real
     * kube-controller-manager has its own client and limit); closed with the controller's context.
     */
    private KubernetesClient limitedClient(ClientRateLimit limit) {
        ClientRateLimit.Bucket bucket = limit.bucket(System::nanoTime);
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(baseConfig())
                .withCustomHeaders(Map.of(SimDispatcher.INTERNAL_HEADER, "controller")).build())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("client-rate-limit",
                        new io.fabric8.kubernetes.client.http.Interceptor() {
                            @Override
                            public void before(io.fabric8.kubernetes.client.http.BasicBuilder builder,
                                               io.fabric8.kubernetes.client.http.HttpRequest request,
                                               RequestTags tags) {
                                bucket.acquire();
                            }
                        }))
                .build();
    }

    /** Starts a cluster with the given options: server up, seed objects created, built-in controllers running. */
    public static SimulatedCluster start(SimOptions options) {
        SimulatedCluster sim = new SimulatedCluster(options, Clock.systemUTC());
        try {
            new Seed(sim.internalClient, options).apply();
            if (options.builtInControllers()) {
                sim.addController(new ServiceAccountTokens(sim.tokens));
                for (SimController c : BuiltInControllers.load(options)) {
                    sim.addController(c);
                }
            }
            sim.dispatcher.seeded();
            return sim;
        } catch (RuntimeException e) {
            sim.close();
            throw e;
        }
    }

    /** Starts a cluster with {@link SimOptions#defaults()}. */
    public static SimulatedCluster start() {
        return start(SimOptions.defaults());
    }

    private Config baseConfig() {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url)
                .withNamespace("default")
                .withHttp2Disable(true)
                .withTrustCerts(true)
                .build();
    }

    /**
     * A client for tests (namespace {@code default}). It does not retry failed requests on its own, so injected
     * faults reach the code under test. Closed with the cluster.
     */
    public KubernetesClient client() {
        return client;
    }

    /** A new client with the same settings as {@link #client()}; the caller closes it. */
    public KubernetesClient newClient() {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(baseConfig())
                .withRequestRetryBackoffLimit(0)
                .build()).build();
    }

    /** Base URL of the API server, e.g. {@code http://127.0.0.1:8001}. */
    public String url() {
        return url;
    }

    public int port() {
        return server.getPort();
    }

    public SimOptions options() {
        return options;
    }

    /** kube-controller-manager's shared informers. */
    SharedInformers controllerManager() {
        return controllerManager;
    }

    public RequestLog requests() {
        return requests;
    }

    public Faults faults() {
        return faults;
    }

    /**
     * The identities this server accepts: bearer tokens (also those the token controller issues for service account
     * token Secrets and TokenRequests) and passwords. They matter with {@link SimOptions#rbac()}.
     */
    public SimTokens tokens() {
        return tokens;
    }

    /**
     * Starts a TLS front on an ephemeral port that authenticates client certificates signed by
     * {@code certificates}, bearer tokens and passwords against this cluster's {@link #tokens()}; with
     * {@link SimOptions#rbac()} the API server authorizes the user the front authenticated. The caller closes it.
     */
    public io.jenkins.plugins.kubeplatform.sim.auth.AuthenticatingFront authenticatingFront(
            io.jenkins.plugins.kubeplatform.sim.auth.SimCertificates certificates) {
        return io.jenkins.plugins.kubeplatform.sim.auth.AuthenticatingFront.start(url,
                new io.jenkins.plugins.kubeplatform.sim.auth.SimAuthenticator(tokens), certificates);
    }

    /**
     * The cluster's certificate authority, published in every namespace as ConfigMap {@code kube-root-ca.crt} (shared
     * by the simulated clusters of one JVM, see {@link io.jenkins.plugins.kubeplatform.sim.auth.SimCertificates#shared}).
     */
    public io.jenkins.plugins.kubeplatform.sim.auth.SimCertificates certificates() {
        return io.jenkins.plugins.kubeplatform.sim.auth.SimCertificates.shared();
    }

    /** A new client that sends {@code token} as its bearer token; the caller closes it. */
    public KubernetesClient newClient(String token) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(baseConfig())
                .withRequestRetryBackoffLimit(0).withOauthToken(token)
                .build()).build();
    }

    public SimNodes nodes() {
        return nodes;
    }

    public SimPods pods() {
        return pods;
    }

    /** The running controller of this type (for tests that inject failures into it). */
    public synchronized <T extends SimController> java.util.Optional<T> controller(Class<T> type) {
        return controllers.stream().map(Running::controller).filter(type::isInstance).map(type::cast).findFirst();
    }

    /** Registers and starts a controller; it is closed with the cluster. */
    public synchronized SimulatedCluster addController(SimController controller) {
        SimContext context = new SimContext(controller.name(), rateLimit(controller.name())
                .map(limit -> limitedClient(limit)).orElse(internalClient), options, clock,
                SHARING_INFORMERS.contains(controller.name()) ? java.util.Optional.of(controllerManager)
                        : java.util.Optional.empty());
        controllers.add(new Running(controller, context));
        try {
            context.executor().submit(() -> controller.start(context)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + controller.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("controller " + controller.name() + " failed to start", e);
        }
        return this;
    }

    @Override
    public synchronized void close() {
        for (Running r : controllers) {
            try {
                r.controller().close();
            } finally {
                r.context().close();
                if (r.context().client() != internalClient) {
                    r.context().client().close(); // the controller's own rate-limited client
                }
            }
        }
        controllers.clear();
        controllerManager.close();
        faults.shutdown();
        client.close();
        internalClient.close();
        server.destroy();
    }
}
