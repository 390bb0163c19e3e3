package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Sits in front of the mock's CRUD dispatcher: records every request, injects faults and latency, and serves the
 * parts of the API the mock lacks (the pod eviction subresource).
 */
final class SimDispatcher extends Dispatcher {

    /** Header the simulation's own clients send so their requests are told apart from the code under test. */
    static final String INTERNAL_HEADER = "X-Kubeplatform-Sim";

    private final Dispatcher delegate;
    private final RequestLog log;
    private final Faults faults;
    private final EvictionHandler eviction;
    private final Admission admission = new Admission();
    private final Discovery discovery;
    private final Clock clock;
    private final SimEndpoints endpoints;

    SimDispatcher(Dispatcher delegate, RequestLog log, Faults faults, Clock clock) {
        this.delegate = delegate;
        this.log = log;
        this.faults = faults;
        this.clock = clock;
        this.eviction = new EvictionHandler(delegate);
        this.discovery = new Discovery(delegate);
        this.endpoints = new SimEndpoints(log);
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
        String verb = path.verb(method);
        boolean internal = request.getHeader(INTERNAL_HEADER) != null;
        MockResponse response = null;
        if (!internal) {
            Optional<Integer> fault = faults.take(method, verb, path.path());
            if (fault.isPresent()) {
                response = StatusResponses.fault(fault.get(), verb, path.path());
            }
        }
        if (response == null) {
            Optional<MockResponse> discovered = method.equals("GET") && path.resource().isEmpty()
                    ? discovery.answer(path.path()) : Optional.empty();
            if (discovered.isPresent()) {
                response = discovered.get();
            } else if (method.equals("POST") && path.resource().equals("pods") && path.subresource().equals("eviction")) {
                response = eviction.evict(path.namespace(), path.name());
            } else if (method.equals("POST") && path.resource().equals("services") && path.group().isEmpty()
                    && path.name().isEmpty()) {
                response = delegate.dispatch(admission.serviceCreate(request));
            } else {
                response = delegate.dispatch(request);
            }
        }
        Duration latency = faults.latency();
        if (!internal && !latency.isZero() && response.getWebSocketListener() == null) {
            response.setBodyDelay(latency);
        }
        log.add(new ApiRequest(clock.instant(), method, verb, path.path(), path.query(), response.code(), path.group(),
                path.version(), path.resource(), path.namespace(), path.name(), path.subresource(), internal));
        return response;
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }
}
