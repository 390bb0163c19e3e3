package io.jenkins.plugins.kubeplatform.engine.expose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EXP-10 and EXP-11 with a real nginx on loopback and the simulated cluster: the catch-all, upstreams from the
 * ready addresses of EndpointSlices (the "pods" are HTTP servers on loopback addresses the Calico pool hands out),
 * reloads only when the list changes, TLS per host by SNI, and hosts generated for Ingresses created without one.
 */
class NginxIngressTierTest {

    /** Pod addresses come from this pool: all loopback, so nginx on this machine reaches the "pods". */
    private static final String POOL = "127.0.100.0/24";
    private static final String IP_ANNOTATION = "cni.projectcalico.org/ipAddrs";
    private static final String SUFFIX = "apps.example.test";

    @TempDir
    static Path prefix;

    @TempDir
    Path state;

    private static SimulatedCluster sim;
    private static PrivateNginx nginx;

    @BeforeAll
    static void start() throws Exception {
        nginx = PrivateNginx.start(prefix);
        sim = SimulatedCluster.start(SimOptions.builder().calicoPool(POOL).speed(50).build());
        sim.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-a").endMetadata()
                .build()).create();
    }

    @AfterAll
    static void stop() throws Exception {
        if (sim != null) {
            sim.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    private static KubernetesClient client() {
        return sim.client();
    }

    private ExposeSettings settings(ExposeSettings.Tls tls, List<String> managedNamespaces) {
        return ExposeSettings.builder().suffix(SUFFIX).route("ingress").tls(tls).admitTimeout("20s")
                .nginx(nginx.httpsSettings(false)).managedNamespaces(managedNamespaces).build();
    }

    private ExposeEngine engine(ExposeSettings settings) {
        return ExposeFixture.engine(sim, settings, state);
    }

    private ExposeSync sync(ExposeSettings settings, Progress progress) {
        return new ExposeSync(client(), settings, DomainRegistry.fileStore(state), Clock.systemUTC(), progress,
                ExposeFixture.fastRetry());
    }

    /** A Service selecting app {@code app} and one ready pod per address, each pinned to its address. */
    private static void app(String namespace, String app, int targetPort, String... addresses) throws Exception {
        client().services().inNamespace(namespace).resource(RouteObjects.service(namespace, app, 80, targetPort)).create();
        for (int i = 0; i < addresses.length; i++) {
            client().pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata()
                    .withName(app + "-" + (i + 1)).withNamespace(namespace)
                    .addToLabels(ExposeLabels.APP_NAME, app)
                    .addToAnnotations(IP_ANNOTATION, "[\"" + addresses[i] + "\"]").endMetadata()
                    .withNewSpec().addNewContainer().withName("app").withImage("nginx:1.27").addNewPort()
                    .withContainerPort(targetPort).endPort().endContainer().endSpec().build()).create();
        }
        awaitReadyEndpoints(namespace, app, addresses.length);
    }

    private static List<EndpointSlice> awaitReadyEndpoints(String namespace, String service, int count) throws Exception {
        return client().discovery().v1().endpointSlices().inNamespace(namespace)
                .withLabel(ServiceBackends.SERVICE_NAME_LABEL, service)
                .informOnCondition(slices -> readyCount(slices) == count).get(60, TimeUnit.SECONDS);
    }

    private static long readyCount(List<EndpointSlice> slices) {
        return slices.stream().flatMap(s -> s.getEndpoints() == null ? java.util.stream.Stream.empty()
                : s.getEndpoints().stream()).filter(e -> e.getConditions() != null
                && Boolean.TRUE.equals(e.getConditions().getReady())).count();
    }

    private static List<String> serverLines(String host) throws IOException {
        return Files.readAllLines(nginx.sites.resolve(host + ".conf")).stream().map(String::strip)
                .filter(l -> l.startsWith("server ") && l.endsWith(";")).toList();
    }

    /**
     * A reload is graceful: workers of the previous configuration may answer new connections for a moment. Waits
     * (bounded) until ten requests in a row got 200, so that the counted requests all reach the new configuration.
     */
    private static void awaitSteadily200(String host) {
        int[] inARow = {0};
        org.awaitility.Awaitility.await("ten 200s in a row from " + host).atMost(Duration.ofSeconds(20))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
                    boolean ok = HostProbe.get("127.0.0.1", nginx.port, host, Duration.ofSeconds(2))
                            .filter(a -> a.status() == 200).isPresent();
                    inARow[0] = ok ? inARow[0] + 1 : 0;
                    return inARow[0] >= 10;
                });
        nginx.awaitOldWorkersGone();
    }

    private static void get(String host, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(HostProbe.get("127.0.0.1", nginx.port, host, Duration.ofSeconds(2)))
                    .hasValueSatisfying(a -> assertThat(a.status()).isEqualTo(200));
        }
    }

    @Test
    void answersUnknownAndReleasedHostsWith404FromTheDefaultServer() throws Exception {
        try (LoopbackBackends backend = LoopbackBackends.start("127.0.100.5")) {
            app("default", "solo", backend.port, "127.0.100.5");
            ExposeResult result = engine(settings(null, null)).expose(ExposeRequest.of("default", "solo", 80,
                    "job/solo #1").toBuilder().targetPort(backend.port).build());
            String host = "solo.default." + SUFFIX;
            assertThat(result.host()).isEqualTo(host);
            assertThat(nginx.await(host, a -> a.status() == 200)).hasValueSatisfying(
                    a -> assertThat(a.body()).isEqualTo("backend 127.0.100.5"));
            backend.reset();

            // the only app block is not the default for its listen address: a typo gets nginx's 404
            assertThat(HostProbe.get("127.0.0.1", nginx.port, "sol0.default." + SUFFIX, Duration.ofSeconds(2)))
                    .hasValueSatisfying(a -> assertThat(a.status()).isEqualTo(404));

            engine(settings(null, null)).release("default", "solo");
            assertThat(nginx.await(host, a -> a.status() == 404)).hasValueSatisfying(
                    a -> assertThat(a.status()).isEqualTo(404));
            // workers of the old configuration may still answer while a graceful reload drains them: wait until five
            // probes in a row get 404, then no request reaches the released backend any more
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> java.util.stream.IntStream.range(0, 5).allMatch(i -> HostProbe.get("127.0.0.1",
                            nginx.port, host, Duration.ofSeconds(2)).map(a -> a.status() == 404).orElse(false)));
            backend.reset();
            assertThat(HostProbe.get("127.0.0.1", nginx.port, host, Duration.ofSeconds(2)))
                    .hasValueSatisfying(a -> assertThat(a.status()).isEqualTo(404));
            assertThat(backend.counts()).containsEntry("127.0.100.5", 0);
        }
    }

    @Test
    void balancesOverThreeReadyPodsAndDropsAKilledOneWithExactlyOneReload() throws Exception {
        String[] pods = {"127.0.100.11", "127.0.100.12", "127.0.100.13"};
        try (LoopbackBackends backends = LoopbackBackends.start(pods)) {
            app("default", "shop", backends.port, pods);
            ExposeSettings settings = settings(null, null);
            String host = engine(settings).expose(ExposeRequest.of("default", "shop", 80, "job/shop #4").toBuilder()
                    .targetPort(backends.port).build()).host();

            assertThat(serverLines(host)).containsExactlyInAnyOrder("server 127.0.100.11:" + backends.port + ";",
                    "server 127.0.100.12:" + backends.port + ";", "server 127.0.100.13:" + backends.port + ";");
            assertThat(Files.readString(nginx.sites.resolve(host + ".conf")))
                    .contains("# owner default/shop (build job/shop #4)");
            awaitSteadily200(host);
            backends.reset();
            get(host, 30);
            assertThat(backends.counts()).as("requests per backend").allSatisfy((address, n) -> assertThat(n)
                    .as(address).isGreaterThanOrEqualTo(5));

            List<String> reloadLines = new CopyOnWriteArrayList<>();
            CountDownLatch firstReload = new CountDownLatch(1);
            CountDownLatch secondReload = new CountDownLatch(2);
            Progress progress = Progress.lines(line -> {
                if (line.contains("nginx: reloaded")) {
                    reloadLines.add(line);
                    firstReload.countDown();
                    secondReload.countDown();
                }
            });
            ExposeSync sync = sync(settings, progress);
            ExposeSync.Report inStep = sync.runOnce();
            assertThat(inStep.reloaded()).as("an unchanged endpoint list causes no reload").isFalse();
            long before = nginx.reloads();
            try (AutoCloseable watching = sync.watch(Duration.ofMillis(100), Duration.ofMinutes(10))) {
                client().pods().inNamespace("default").withName("shop-3").withGracePeriod(0).delete();

                assertThat(firstReload.await(30, TimeUnit.SECONDS)).as("the sync reloaded nginx").isTrue();
                assertThat(serverLines(host)).containsExactlyInAnyOrder("server 127.0.100.11:" + backends.port + ";",
                        "server 127.0.100.12:" + backends.port + ";");
                assertThat(nginx.awaitReloads(before + 1, Duration.ofSeconds(10))).as("sync said " + reloadLines
                        + "; nginx logged " + Files.readString(nginx.prefix.resolve("error.log"))).isEqualTo(before + 1);
                awaitReadyEndpoints("default", "shop", 2);
                assertThat(secondReload.await(2, TimeUnit.SECONDS)).as("a second reload: " + reloadLines).isFalse();
            }
            assertThat(nginx.reloads()).as("reloads nginx logged").isEqualTo(before + 1);

            nginx.await(host, a -> a.status() == 200);
            backends.reset();
            get(host, 20);
            assertThat(backends.counts()).containsEntry("127.0.100.13", 0);
            assertThat(DomainRegistry.fileStore(state).read().hosts().get(host).servers())
                    .containsExactly("127.0.100.11:" + backends.port, "127.0.100.12:" + backends.port);
        }
    }

    @Test
    void presentsTheHostsCertificateForItsNameAndNoneForAnUnknownName() throws Exception {
        String host = "secure.default." + SUFFIX;
        TestCertificates.Pem first = TestCertificates.selfSigned(prefix, host);
        client().secrets().inNamespace("default").resource(tlsSecret("secure-tls", first)).create();
        try (LoopbackBackends backend = LoopbackBackends.start("127.0.100.7")) {
            app("default", "secure", backend.port, "127.0.100.7");
            ExposeSettings settings = settings(new ExposeSettings.Tls("secure-tls", null, null), null);
            ExposeResult result = engine(settings).expose(ExposeRequest.of("default", "secure", 80, "cli").toBuilder()
                    .targetPort(backend.port).build());
            assertThat(result.url()).isEqualTo("https://" + host + "/");

            assertThat(awaitCertificate(host, first.certificate())).isEqualTo(first.certificate());
            assertThatThrownBy(() -> handshake("unknown.default." + SUFFIX)).isInstanceOf(SSLException.class);
            assertThat(Files.getPosixFilePermissions(nginx.sites.resolve("tls/" + host + ".key")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(nginx.sites.resolve("tls/" + host + ".crt")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));

            TestCertificates.Pem renewed = TestCertificates.selfSigned(prefix, host);
            client().secrets().inNamespace("default").resource(tlsSecret("secure-tls", renewed)).update();
            assertThat(sync(settings, Progress.silent()).runOnce().reloaded()).isTrue();
            assertThat(Files.readString(nginx.sites.resolve("tls/" + host + ".crt"))).isEqualTo(renewed.certificatePem());
            assertThat(awaitCertificate(host, renewed.certificate())).isEqualTo(renewed.certificate());
        }
    }

    @Test
    void redirectsHttpToHttpsWhenAsked() throws Exception {
        String host = "moved.default." + SUFFIX;
        TestCertificates.Pem pem = TestCertificates.selfSigned(prefix, host);
        client().secrets().inNamespace("default").resource(tlsSecret("moved-tls", pem)).create();
        ExposeSettings settings = ExposeSettings.builder().suffix(SUFFIX).route("none")
                .tls(new ExposeSettings.Tls("moved-tls", null, null)).admitTimeout("20s")
                .nginx(nginx.httpsSettings(true)).build();
        engine(settings).expose(ExposeRequest.of("default", "moved", 80, "cli").toBuilder()
                .upstream("127.0.0.1:9").build());

        String head = awaitRaw(host, "HTTP/1.1 301");
        assertThat(head).startsWith("HTTP/1.1 301").contains("Location: https://" + host + ":" + nginx.httpsPort + "/");
        engine(settings).release("default", "moved");
    }

    @Test
    void givesAnIngressCreatedWithoutAHostAGeneratedHostThatNginxServes() throws Exception {
        try (LoopbackBackends backend = LoopbackBackends.start("127.0.100.31")) {
            app("team-a", "web", backend.port, "127.0.100.31");
            ExposeSettings settings = settings(null, List.of("team-a"));
            CountDownLatch generated = new CountDownLatch(1);
            Progress progress = Progress.lines(line -> {
                if (line.contains("generated host")) {
                    generated.countDown();
                }
            });
            try (AutoCloseable watching = sync(settings, progress).watch(Duration.ofMillis(100), Duration.ofMinutes(10))) {
                long created = System.nanoTime();
                client().network().v1().ingresses().inNamespace("team-a").resource(hostless("team-a", "web")).create();

                String host = "web.team-a." + SUFFIX;
                Ingress written = client().network().v1().ingresses().inNamespace("team-a").withName("web")
                        .waitUntilCondition(i -> i.getSpec().getRules().stream().anyMatch(r -> host.equals(r.getHost())),
                                10, TimeUnit.SECONDS);
                assertThat(Duration.ofNanos(System.nanoTime() - created)).isLessThan(Duration.ofSeconds(10));
                assertThat(written.getMetadata().getLabels()).containsEntry(ExposeLabels.EXPOSE, "true");
                assertThat(generated.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(nginx.await(host, a -> a.status() == 200)).hasValueSatisfying(
                        a -> assertThat(a.body()).isEqualTo("backend 127.0.100.31"));
                assertThat(client().configMaps().inNamespace("kubeplatform-system").withName(host).get().getData())
                        .containsEntry("namespace", "team-a").containsEntry("app", "web");
                assertThat(Files.readString(nginx.sites.resolve(host + ".conf")))
                        .contains("# owner team-a/web (build sync of ingress team-a/web)");
            }
            // a release removes what exposeApp made (claim, nginx block), never the object made outside Jenkins
            engine(settings).release("team-a", "web");
            assertThat(client().network().v1().ingresses().inNamespace("team-a").withName("web").get()).isNotNull();
            assertThat(client().configMaps().inNamespace("kubeplatform-system").withName("web.team-a." + SUFFIX).get())
                    .isNull();
        }
    }

    @Test
    void reportsAGeneratedHostTakenBySomeoneElseAsAWarningEventOnTheIngress() throws Exception {
        String host = "taken.team-a." + SUFFIX;
        client().network().v1().ingresses().inNamespace("default").resource(new IngressBuilder(hostless("default",
                "squatter")).editSpec().editFirstRule().withHost(host).endRule().endSpec().build()).create();
        client().network().v1().ingresses().inNamespace("team-a").resource(hostless("team-a", "taken")).create();

        ExposeSync.Report report = sync(settings(null, List.of("team-a")), Progress.silent()).runOnce();

        assertThat(report.conflicts()).anySatisfy(c -> assertThat(c).contains("Ingress team-a/taken")
                .contains("Ingress default/squatter"));
        List<Event> events = client().v1().events().inNamespace("team-a").list().getItems().stream()
                .filter(e -> "taken".equals(e.getInvolvedObject().getName())
                        && HostGenerator.REASON_CONFLICT.equals(e.getReason())).toList();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Ingress");
            assertThat(e.getMessage()).contains(host).contains("Ingress default/squatter");
        });
        assertThat(client().network().v1().ingresses().inNamespace("team-a").withName("taken").get().getSpec()
                .getRules().get(0).getHost()).isNull();
    }

    @Test
    void coalescesChangesWithinTheReloadIntervalIntoOneReload() throws Exception {
        ExposeSettings.Nginx slow = new ExposeSettings.Nginx(nginx.sites.toString(), nginx.binary, nginx.config.toString(),
                "127.0.0.1:" + nginx.port, null, null, null, null, null, "3s");
        ExposeSettings settings = ExposeSettings.builder().suffix(SUFFIX).route("ingress").admitTimeout("20s")
                .nginx(slow).build();
        List<String> reloads = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(2);
        Progress progress = Progress.lines(line -> {
            if (line.contains("nginx: reloaded")) {
                reloads.add(System.nanoTime() + " " + line);
                first.countDown();
                second.countDown();
            }
        });
        ExposeSync sync = sync(settings, Progress.silent());
        sync.runOnce(); // in step with what earlier tests left, so the watch's first pass changes nothing
        sync = sync(settings, progress);
        try (AutoCloseable watching = sync.watch(Duration.ofMillis(100), Duration.ofMinutes(10))) {
            client().network().v1().ingresses().inNamespace("default").resource(labelled("burst-a")).create();
            assertThat(first.await(30, TimeUnit.SECONDS)).isTrue();
            client().network().v1().ingresses().inNamespace("default").resource(labelled("burst-b")).create();
            client().network().v1().ingresses().inNamespace("default").resource(labelled("burst-c")).create();
            assertThat(second.await(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(reloads).hasSize(2);
        long gap = Long.parseLong(reloads.get(1).split(" ")[0]) - Long.parseLong(reloads.get(0).split(" ")[0]);
        assertThat(Duration.ofNanos(gap)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
        assertThat(reloads.get(1)).contains("burst-b.default." + SUFFIX).contains("burst-c.default." + SUFFIX);
        for (String name : List.of("burst-a", "burst-b", "burst-c")) {
            client().network().v1().ingresses().inNamespace("default").withName(name).delete();
        }
    }

    private static Ingress labelled(String name) {
        return new IngressBuilder(hostless("default", name)).editMetadata().addToLabels(ExposeLabels.EXPOSE, "true")
                .addToAnnotations(ExposeLabels.UPSTREAM_ANNOTATION, "127.0.0.1:9").endMetadata()
                .editSpec().editFirstRule().withHost(name + ".default." + SUFFIX).endRule().endSpec().build();
    }

    @Test
    void givesALabelledHttpRouteWithoutHostnamesAGeneratedHost() {
        client().genericKubernetesResources(TestRoutes.HTTP_ROUTE).inNamespace("default").resource(
                new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                        .withApiVersion("gateway.networking.k8s.io/v1").withKind("HTTPRoute")
                        .withNewMetadata().withName("blog").withNamespace("default")
                        .addToLabels(ExposeLabels.EXPOSE, "true").endMetadata()
                        .addToAdditionalProperties("spec", Map.of(
                                "parentRefs", List.of(Map.of("name", "platform-gateway", "namespace", "gateway-system")),
                                "rules", List.of(Map.of("backendRefs", List.of(Map.of("name", "blog", "port", 80))))))
                        .build()).create();

        ExposeSync.Report report = sync(settings(null, null), Progress.silent()).runOnce();

        String host = "blog.default." + SUFFIX;
        assertThat(report.changes()).contains("generated host " + host + " for HTTPRoute default/blog");
        Object hostnames = ((Map<?, ?>) client().genericKubernetesResources(TestRoutes.HTTP_ROUTE)
                .inNamespace("default").withName("blog").get().getAdditionalProperties().get("spec")).get("hostnames");
        assertThat(hostnames).isEqualTo(List.of(host));
        assertThat(DomainRegistry.fileStore(state).read().hosts().get(host).owner()).isEqualTo("default/blog");
    }

    private static Ingress hostless(String namespace, String name) {
        return new IngressBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withIngressClassName("nginx").addNewRule().withNewHttp().addNewPath().withPath("/")
                .withPathType("Prefix").withNewBackend().withNewService().withName(name).withNewPort().withNumber(80)
                .endPort().endService().endBackend().endPath().endHttp().endRule().endSpec().build();
    }

    private static io.fabric8.kubernetes.api.model.Secret tlsSecret(String name, TestCertificates.Pem pem) {
        Base64.Encoder b64 = Base64.getEncoder();
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withType("kubernetes.io/tls")
                .withData(Map.of("tls.crt", b64.encodeToString(pem.certificatePem().getBytes(StandardCharsets.US_ASCII)),
                        "tls.key", b64.encodeToString(pem.keyPem().getBytes(StandardCharsets.US_ASCII))))
                .build();
    }

    /**
     * The certificate nginx presents for {@code host} once it is {@code expected}, else the last one seen after 10 s:
     * a reload is graceful, so a worker of the previous configuration may answer a new connection for a moment.
     */
    private static X509Certificate awaitCertificate(String host, X509Certificate expected) throws Exception {
        X509Certificate[] seen = {null};
        java.io.IOException[] last = {null};
        try {
            org.awaitility.Awaitility.await("certificate " + expected.getSubjectX500Principal() + " for " + host)
                    .atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        try {
                            seen[0] = handshake(host);
                            return seen[0].equals(expected);
                        } catch (java.io.IOException e) {
                            // a TLS failure, or the HTTPS listener of a just-reloaded configuration not open yet
                            last[0] = e;
                            return false;
                        }
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the caller compares the last certificate seen
        }
        if (seen[0] == null) {
            throw new AssertionError("no certificate for " + host, last[0]);
        }
        return seen[0];
    }

    private static X509Certificate handshake(String host) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", nginx.httpsPort), 2000);
            socket.setSoTimeout(2000);
            var params = socket.getSSLParameters();
            params.setServerNames(List.of(new SNIHostName(host)));
            socket.setSSLParameters(params);
            socket.startHandshake();
            Certificate[] chain = socket.getSession().getPeerCertificates();
            return (X509Certificate) chain[0];
        }
    }

    /** The raw answer once it starts with {@code status}, or the last one after 10 s (reloads are asynchronous). */
    private static String awaitRaw(String host, String status) throws Exception {
        String[] answer = {rawGet(host)};
        try {
            org.awaitility.Awaitility.await(host + " answering " + status).atMost(Duration.ofSeconds(10))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
                        if (!answer[0].startsWith(status)) {
                            answer[0] = rawGet(host);
                        }
                        return answer[0].startsWith(status);
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the caller asserts on the last answer
        }
        return answer[0];
    }

    private static String rawGet(String host) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", nginx.port), 2000);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
