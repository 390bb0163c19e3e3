package io.jenkins.plugins.kubeplatform.sim;

import io.jenkins.plugins.kubeplatform.sim.auth.SimTokens;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.jenkins.plugins.kubeplatform.sim.api.QueryParams;
import io.jenkins.plugins.kubeplatform.sim.auth.AuthenticatingFront;
import io.jenkins.plugins.kubeplatform.sim.auth.UserInfo;
import io.jenkins.plugins.kubeplatform.sim.rbac.Impersonation;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sits in front of the mock's CRUD dispatcher: records every request, injects faults and latency, and serves the
 * parts of the API the mock lacks (the pod eviction subresource).
 */
final class SimDispatcher extends Dispatcher {

    /** Header the simulation's own clients send so their requests are told apart from the code under test. */
    static final String INTERNAL_HEADER = "X-Kubeplatform-Sim";

    private final Dispatcher delegate;
    private final KubernetesCrudDispatcher store;
    private final ApiSemantics api;
    private final AccessReviews reviews = new AccessReviews();
    private final SimTokens tokens;
    private final io.jenkins.plugins.kubeplatform.sim.rbac.RbacAuthorizer authorizer;
    private final RequestLog log;
    private final Faults faults;
    private final EvictionHandler eviction;
    private final Admission admission = new Admission();
    private final Discovery discovery;
    private volatile boolean seeded;
    private final HealthChecks health = new HealthChecks(() -> this.seeded);
    private final Clock clock;
    private final SimEndpoints endpoints;
    private final FieldValidation fieldValidation = new FieldValidation();

    SimDispatcher(KubernetesCrudDispatcher delegate, RequestLog log, Faults faults, Clock clock) {
        this(delegate, log, faults, clock, new SimTokens(), false);
    }

    /** With {@code rbac}, requests from outside the simulation are authenticated and RBAC-authorized. */
    SimDispatcher(KubernetesCrudDispatcher delegate, RequestLog log, Faults faults, Clock clock, SimTokens tokens,
            boolean rbac) {
        this.tokens = tokens;
        tokens.secretLookup((secret, token) -> {
            MockResponse r = delegate.dispatch(ApiSemantics.internal("GET", "/api/v1/namespaces/"
                    + secret.substring(0, secret.indexOf('/')) + "/secrets/" + secret.substring(secret.indexOf('/') + 1),
                    "", null));
            if (r.code() != 200) {
                return false;
            }
            String held = ApiSemantics.read(r.getBody().readUtf8()).path("data").path("token").asText("");
            try {
                return new String(java.util.Base64.getDecoder().decode(held), java.nio.charset.StandardCharsets.UTF_8)
                        .equals(token);
            } catch (IllegalArgumentException e) {
                return false;
            }
        });
        this.authorizer = !rbac ? null : new io.jenkins.plugins.kubeplatform.sim.rbac.RbacAuthorizer(
                p -> ApiSemantics.read(delegate.dispatch(ApiSemantics.internal("GET", p, "", null)).getBody()
                        .readUtf8()));
        this.delegate = delegate;
        this.store = delegate;
        this.api = new ApiSemantics(delegate, clock);
        this.log = log;
        this.faults = faults;
        this.clock = clock;
        this.eviction = new EvictionHandler(delegate, api);
        this.discovery = new Discovery(delegate);
        this.endpoints = new SimEndpoints(log);
    }

    /** The seeded objects exist and the built-in controllers run: {@code /readyz} passes from now on. */
    void seeded() {
        seeded = true;
    }

    /** Handles a {@link Faults#interleave} call in place, as an internal request (not faulted, not authorized). */
    private void dispatchFirst(Faults.ApiCall call) {
        io.fabric8.mockwebserver.http.Headers.Builder headers = new io.fabric8.mockwebserver.http.Headers.Builder()
                .add(INTERNAL_HEADER, "interleaved");
        if (call.contentType() != null) {
            headers.add("Content-Type", call.contentType());
        }
        dispatch(new RecordedRequest("HTTP/1.1", io.fabric8.mockwebserver.dsl.HttpMethod.valueOf(call.method()),
                call.path(), headers.build(), new io.fabric8.mockwebserver.http.Buffer(call.body() == null
                        ? new byte[0] : call.body().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    /** Sandbox mode: see {@link SimOptions#createMissingNamespaces()}. */
    void createMissingNamespaces(boolean on) {
        api.createMissingNamespaces(on);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String method = request.getMethod();
        if (request.getPath() != null && request.getPath().startsWith(SimEndpoints.PREFIX)) {
            Optional<MockResponse> own = endpoints.answer(method, request.getPath());
            if (own.isPresent()) {
                return own.get(); // the simulation's own endpoints are not API requests: not recorded
            }
        }
        ApiPath path = ApiPath.parse(request.getPath());
        if (method.equals("GET") || method.equals("HEAD")) {
            Optional<MockResponse> health = this.health.answer(path.path(), path.query());
            if (health.isPresent()) {
                return health.get(); // probes, as the simulation's own endpoints: not recorded, no faults
            }
        }
        String verb = path.verb(method);
        boolean internal = request.getHeader(INTERNAL_HEADER) != null;
        if (internal) {
            faults.interleaved(method, verb, path.path()).ifPresent(this::dispatchFirst);
        }
        MockResponse response = null;
        boolean dryRun = false;
        Optional<Faults.Injected> fault = internal ? Optional.empty()
                : faults.draw(method, verb, path.path(), path.isWatch());
        response = FaultLayer.instead(fault, verb, path.path()).orElse(null);
        UserInfo subject = null;
        if (response == null && authorizer != null && !internal) {
            Optional<UserInfo> who = authenticate(request);
            if (who.isEmpty()) {
                response = StatusResponses.status(401, "Unauthorized", "Unauthorized", null);
            } else {
                Impersonation.Outcome as =
                        Impersonation.apply(who.get(),
                                request.getHeaders().toMultimap(), authorizer);
                if (as instanceof Impersonation.AsUser user) {
                    subject = user.subject();
                    response = authorize(subject, method, request.getPath());
                } else {
                    Impersonation.Refused refused =
                            (Impersonation.Refused) as;
                    response = refused.request().map(r -> StatusResponses.status(403, "Forbidden", refused.message(),
                            ApiSemantics.details(403, "Forbidden", refused.message(), r.apiGroup(), r.resource(),
                                    r.name()))).orElseGet(() -> StatusResponses.status(500, "InternalError",
                            refused.message(), null));
                }
            }
        }
        ContentNegotiation.Output output = ContentNegotiation.Output.JSON;
        if (response == null && ContentNegotiation.isProtobuf(request)) {
            Optional<RecordedRequest> decoded = ProtobufBodies.asJson(request);
            if (decoded.isPresent()) {
                request = decoded.get();
            } else {
                response = StatusResponses.status(400, "BadRequest", "the body of the request could not be decoded "
                        + "as a Kubernetes protobuf message", null);
            }
        }
        if (response == null) {
            boolean tableable = method.equals("GET") && !path.resource().isEmpty() && !path.isWatch()
                    && path.subresource().isEmpty();
            boolean discoverable = method.equals("GET") && (path.path().equals("/api")
                    || path.path().equals("/apis"));
            Optional<ContentNegotiation.Output> chosen = ContentNegotiation.choose(request.getHeader("Accept"),
                    tableable, discoverable);
            Optional<MockResponse> unreadable = ContentNegotiation.unsupportedBody(request);
            if (unreadable.isPresent()) {
                response = unreadable.get();
            } else if (chosen.isEmpty()) {
                response = ContentNegotiation.notAcceptable();
            } else {
                output = chosen.get();
                RecordedRequest decoded = request;
                UserInfo who = subject;
                FieldValidation.Outcome validation = internal ? FieldValidation.Outcome.NONE
                        : fieldValidation.check(decoded, path, kindOf(path), () -> crdSchema(path));
                response = validation.refusal().orElseGet(() -> route(decoded, method, path, who));
                FieldValidation.warn(response, validation.warnings());
                dryRun = path.query().contains("dryRun=") && ApiSemantics.isDryRun(QueryParams.parse(path.query()));
                if (output == ContentNegotiation.Output.TABLE && response.code() == 200) {
                    response = table(path, response);
                }
            }
        }
        response = FaultLayer.around(fault, ContentNegotiation.label(response, output), faults);
        Duration latency = faults.latency();
        if (!internal && !latency.isZero() && response.getWebSocketListener() == null) {
            response.setBodyDelay(latency);
        }
        log.add(new ApiRequest(clock.instant(), method, verb, path.path(), path.query(), response.code(), path.group(),
                path.version(), path.resource(), path.namespace(), path.name(), path.subresource(), internal,
                dryRun));
        return response;
    }

    /**
     * The caller: the front-proxy headers when the TLS front vouches for them, else the bearer token (empty when
     * unknown: 401), else anonymous.
     */
    private Optional<UserInfo> authenticate(RecordedRequest request) {
        String proxy = request.getHeader(AuthenticatingFront.PROXY_HEADER);
        if (proxy != null && java.security.MessageDigest.isEqual(proxy.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                tokens.proxySecret().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            String user = null;
            java.util.List<String> groups = new java.util.ArrayList<>();
            for (java.util.Map.Entry<String, java.util.List<String>> h : request.getHeaders().toMultimap().entrySet()) {
                if (h.getKey().equalsIgnoreCase(AuthenticatingFront.USER_HEADER) && !h.getValue().isEmpty()) {
                    user = h.getValue().get(0);
                } else if (h.getKey().equalsIgnoreCase(AuthenticatingFront.GROUP_HEADER)) {
                    groups.addAll(h.getValue());
                }
            }
            if (user != null) {
                return Optional.of(new UserInfo(user, groups));
            }
        }
        return tokens.authenticate(request.getHeader("Authorization"));
    }

    /** Null when RBAC allows the request, else the API server's 403. */
    private MockResponse authorize(UserInfo subject, String method, String target) {
        Optional<io.jenkins.plugins.kubeplatform.sim.rbac.ResourceRequest> resource =
                io.jenkins.plugins.kubeplatform.sim.rbac.ResourceRequest.fromHttp(method, target);
        if (resource.isEmpty()) {
            return null;
        }
        io.jenkins.plugins.kubeplatform.sim.rbac.ResourceRequest r = resource.get();
        if (r.resource().startsWith("selfsubject") && r.apiGroup().equals("authorization.k8s.io")) {
            return null;
        }
        Optional<String> denial = authorizer.denial(subject.user(), subject.groups(), r);
        if (denial.isEmpty()) {
            return null;
        }
        return StatusResponses.status(403, "Forbidden", denial.get(), ApiSemantics.details(403, "Forbidden",
                denial.get(), r.apiGroup(), r.resource(), r.name()));
    }

    private MockResponse route(RecordedRequest request, String method, ApiPath path, UserInfo subject) {
        if (method.equals("GET") && path.path().equals("/version")) {
            return OpenApi.version();
        }
        if (method.equals("GET") && path.path().startsWith("/openapi/")) {
            Optional<MockResponse> doc = new OpenApi(discovery, OpenApi.crdSchemas(crds())).answer(path.path());
            if (doc.isPresent()) {
                return doc.get();
            }
        }
        boolean aggregated = (path.path().equals("/api") || path.path().equals("/apis"))
                && ContentNegotiation.choose(request.getHeader("Accept"), false, true)
                .filter(o -> o == ContentNegotiation.Output.AGGREGATED_DISCOVERY).isPresent();
        Optional<MockResponse> discovered = !method.equals("GET") || !path.resource().isEmpty() ? Optional.empty()
                : aggregated ? discovery.aggregated(path.path()) : discovery.answer(path.path());
        if (discovered.isPresent()) {
            return discovered.get();
        }
        if (method.equals("POST") && path.group().equals("authorization.k8s.io")
                && path.resource().startsWith("selfsubject")) {
            return reviews.review(request, path, subject, authorizer);
        }
        if (method.equals("POST") && path.resource().equals("serviceaccounts") && path.subresource().equals("token")) {
            return tokenRequest(path);
        }
        if (method.equals("POST") && path.resource().equals("pods") && path.subresource().equals("binding")
                && path.group().isEmpty()) {
            return api.bind(request, path);
        }
        if (method.equals("POST") && path.resource().equals("pods") && path.subresource().equals("eviction")) {
            return eviction.evict(path.namespace(), path.name());
        }
        if (method.equals("POST") && path.resource().equals("services") && path.group().isEmpty()
                && path.name().isEmpty()) {
            return api.handle(admission.serviceCreate(request), path);
        }
        if (path.resource().isEmpty() || !served(path)) {
            // kube-apiserver's NotFound handler for a path it does not serve: an unknown group, version, resource
            // (a CRD not installed) or subresource
            return StatusResponses.status(404, "NotFound", "the server could not find the requested resource", null);
        }
        if (method.equals("DELETE") && path.name().isEmpty() && path.namespace().isEmpty() && namespaced(path)) {
            // the path across namespaces of a namespaced resource has list and watch routes only (apiserver
            // endpoints/installer.go): the route matches, the method does not
            return StatusResponses.status(405, "MethodNotAllowed",
                    "the server does not allow this method on the requested resource", null);
        }
        return api.handle(request, path);
    }

    /** Whether the served resource at this path is namespaced (a built-in kind's scope, else its CRD's). */
    private boolean namespaced(ApiPath path) {
        return Discovery.builtIn(path.group(), path.version(), path.resource()).map(Discovery.Kind::namespaced)
                .orElseGet(() -> crd(path).map(c -> !"Cluster".equals(c.path("spec").path("scope").asText()))
                        .orElse(false));
    }

    /** Subresources of built-in resources, as a v1.32 API server serves them; others are 404. */
    private static final Map<String, Set<String>> SUBRESOURCES = Map.ofEntries(
            Map.entry("/pods", Set.of("status", "binding", "eviction", "log", "exec", "attach", "portforward",
                    "proxy", "ephemeralcontainers")),
            Map.entry("/services", Set.of("status", "proxy")),
            Map.entry("/nodes", Set.of("status", "proxy")),
            Map.entry("/namespaces", Set.of("status", "finalize")),
            Map.entry("/serviceaccounts", Set.of("token")),
            Map.entry("/persistentvolumeclaims", Set.of("status")),
            Map.entry("/persistentvolumes", Set.of("status")),
            Map.entry("/replicationcontrollers", Set.of("status", "scale")),
            Map.entry("/resourcequotas", Set.of("status")),
            Map.entry("apps/deployments", Set.of("status", "scale")),
            Map.entry("apps/replicasets", Set.of("status", "scale")),
            Map.entry("apps/statefulsets", Set.of("status", "scale")),
            Map.entry("apps/daemonsets", Set.of("status")),
            Map.entry("batch/jobs", Set.of("status")),
            Map.entry("batch/cronjobs", Set.of("status")),
            Map.entry("policy/poddisruptionbudgets", Set.of("status")),
            Map.entry("networking.k8s.io/ingresses", Set.of("status")),
            Map.entry("apiextensions.k8s.io/customresourcedefinitions", Set.of("status")));

    /**
     * Whether the API server serves this resource path: a built-in resource of its group and version, or a version
     * a CRD serves, with a subresource that resource has (a CRD's {@code status} and {@code scale} when its version
     * declares them).
     */
    private boolean served(ApiPath path) {
        Optional<Discovery.Kind> builtIn = Discovery.builtIn(path.group(), path.version(), path.resource());
        if (builtIn.isPresent()) {
            return scoped(path, builtIn.get().namespaced()) && (path.subresource().isEmpty()
                    || SUBRESOURCES.getOrDefault(path.group() + "/" + path.resource(), Set.of())
                    .contains(path.subresource()));
        }
        if (io.jenkins.plugins.kubeplatform.sim.api.Patches.BUILT_IN_GROUPS.contains(path.group())) {
            return false;
        }
        Optional<com.fasterxml.jackson.databind.JsonNode> crd = crd(path);
        Optional<com.fasterxml.jackson.databind.JsonNode> version = crd.flatMap(c -> servedVersion(c, path));
        return version.isPresent()
                && scoped(path, !"Cluster".equals(crd.get().path("spec").path("scope").asText()))
                && (path.subresource().isEmpty() || Set.of("status", "scale").contains(path.subresource())
                        && version.get().path("subresources").has(path.subresource()));
    }

    /**
     * A cluster-scoped resource is not served under a namespace, and a namespaced one by name only under its
     * namespace (a list across namespaces has no namespace in its path).
     */
    private static boolean scoped(ApiPath path, boolean namespaced) {
        return namespaced ? !path.namespace().isEmpty() || path.name().isEmpty() : path.namespace().isEmpty();
    }

    /** The CRD that defines the resource at this path, if there is one. */
    private Optional<com.fasterxml.jackson.databind.JsonNode> crd(ApiPath path) {
        MockResponse r = store.dispatch(ApiSemantics.internal("GET",
                "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + path.resource() + "." + path.group(),
                "", null));
        return r.code() == 200 ? Optional.of(ApiSemantics.read(r.getBody().readUtf8())) : Optional.empty();
    }

    /** The version of {@code crd} at this path, if the CRD serves it. */
    private static Optional<com.fasterxml.jackson.databind.JsonNode> servedVersion(
            com.fasterxml.jackson.databind.JsonNode crd, ApiPath path) {
        for (com.fasterxml.jackson.databind.JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("name").asText().equals(path.version()) && v.path("served").asBoolean(true)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** The openAPIV3Schema of the custom resource version at this path, if it is one. */
    private Optional<com.fasterxml.jackson.databind.JsonNode> crdSchema(ApiPath path) {
        if (io.jenkins.plugins.kubeplatform.sim.api.Patches.BUILT_IN_GROUPS.contains(path.group())) {
            return Optional.empty();
        }
        return crd(path).flatMap(c -> servedVersion(c, path)).map(v -> v.path("schema").path("openAPIV3Schema"))
                .filter(com.fasterxml.jackson.databind.JsonNode::isObject);
    }

    /** The kind served at this path ({@code ""} when unknown): built-in kinds, and CRDs. */
    private String kindOf(ApiPath path) {
        Optional<String> builtIn = Discovery.kindOf(path.group(), path.resource());
        if (builtIn.isPresent() || io.jenkins.plugins.kubeplatform.sim.api.Patches.BUILT_IN_GROUPS.contains(
                path.group())) {
            return builtIn.orElse("");
        }
        // one read of the resource's CRD, not a list of every CRD for each request
        return crd(path).filter(c -> servedVersion(c, path).isPresent())
                .map(c -> c.path("spec").path("names").path("kind").asText()).orElse("");
    }

    /** {@code kubectl create token SA}: a TokenRequest whose token authenticates as the service account. */
    private MockResponse tokenRequest(ApiPath path) {
        MockResponse sa = store.dispatch(ApiSemantics.internal("GET", "/api/v1/namespaces/" + path.namespace()
                + "/serviceaccounts/" + path.name(), "", null));
        if (sa.code() != 200) {
            return ApiSemantics.notFound(new ApiPath(path.path(), "", "", "v1", "serviceaccounts", path.namespace(),
                    path.name(), ""));
        }
        com.fasterxml.jackson.databind.node.ObjectNode review = ApiSemantics.JSON.createObjectNode()
                .put("kind", "TokenRequest").put("apiVersion", "authentication.k8s.io/v1");
        review.putObject("metadata").put("name", path.name()).put("namespace", path.namespace());
        review.putObject("spec").put("expirationSeconds", 3600).putArray("audiences").add("https://kubernetes.default.svc");
        review.putObject("status").put("token", tokens.serviceAccount(path.namespace(), path.name()))
                .put("expirationTimestamp", clock.instant().plusSeconds(3600).truncatedTo(
                        java.time.temporal.ChronoUnit.SECONDS).toString());
        return StatusResponses.json(201, review.toString());
    }

    private com.fasterxml.jackson.databind.JsonNode crds() {
        MockResponse r = store.dispatch(ApiSemantics.internal("GET",
                "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", "", null));
        return r.code() == 200 ? ApiSemantics.read(r.getBody().readUtf8())
                : ApiSemantics.JSON.createObjectNode();
    }

    private MockResponse table(ApiPath path, MockResponse response) {
        com.fasterxml.jackson.databind.JsonNode body = ApiSemantics.read(response.getBody().readUtf8());
        com.fasterxml.jackson.databind.JsonNode crd = null;
        if (!io.jenkins.plugins.kubeplatform.sim.api.Patches.BUILT_IN_GROUPS.contains(path.group())) {
            MockResponse r = store.dispatch(ApiSemantics.internal("GET",
                    "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + path.resource() + "."
                            + path.group(), "", null));
            crd = r.code() == 200 ? ApiSemantics.read(r.getBody().readUtf8()) : null;
        }
        String include = QueryParams.parse(path.query()).get("includeObject").orElse("Metadata");
        return StatusResponses.json(200, Tables.table(path.group(), path.resource(), body, include, crd,
                clock.instant()).toString());
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }
}
