package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.time.Duration;
import java.util.Optional;

/**
 * Applies an {@link Faults.Injected} fault around the simulated API server's own answer: a status or a broken
 * connection instead of the answer, or a watch that the server closes after a while. Sits in front of request
 * handling, so the API semantics below it are untouched.
 */
final class FaultLayer {

    private FaultLayer() {
    }

    /** The answer to send instead of handling the request, when the fault replaces it. */
    static Optional<MockResponse> instead(Optional<Faults.Injected> fault, String verb, String path) {
        if (fault.isEmpty()) {
            return Optional.empty();
        }
        if (fault.get() instanceof Faults.Injected.Status s) {
            return Optional.of(StatusResponses.fault(s.code(), verb, path));
        }
        return fault.get() instanceof Faults.Injected.Reset ? Optional.of(reset()) : Optional.empty();
    }

    /** The handled answer, changed by the fault where it applies after handling (a watch to drop). */
    static MockResponse around(Optional<Faults.Injected> fault, MockResponse response, Faults faults) {
        if (fault.isPresent() && fault.get() instanceof Faults.Injected.DropWatch d
                && response.getWebSocketListener() != null) {
            return response.withWebSocketUpgrade(new Dropping(response.getWebSocketListener(), d.after(), faults));
        }
        return response;
    }

    /**
     * A connection that breaks mid-answer: the head carries two contradicting lengths, which an HTTP client must
     * refuse (RFC 9112 6.3), so it fails with an I/O error and drops the connection as on a reset; the request was
     * not processed.
     */
    static MockResponse reset() {
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                .setHeader("Content-Length", "4096").setHeader("Connection", "close").setBody("{");
    }

    /** A watch the server closes after {@code after}, as a load balancer or a restarting API server does. */
    private static final class Dropping extends WebSocketListener {
        private final WebSocketListener delegate;
        private final Duration after;
        private final Faults faults;

        Dropping(WebSocketListener delegate, Duration after, Faults faults) {
            this.delegate = delegate;
            this.after = after;
            this.faults = faults;
        }

        @Override
        public void onBeforeAccept(WebSocket webSocket, Response response) {
            delegate.onBeforeAccept(webSocket, response);
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            delegate.onOpen(webSocket, response);
            faults.schedule(() -> webSocket.close(1001, "simulated fault: watch dropped"), after);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            delegate.onMessage(webSocket, text);
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            delegate.onMessage(webSocket, bytes);
        }

        @Override
        public void onMessage(WebSocket webSocket, byte[] bytes) {
            delegate.onMessage(webSocket, bytes);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            delegate.onClosing(webSocket, code, reason);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            delegate.onClosed(webSocket, code, reason);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            delegate.onFailure(webSocket, t, response);
        }
    }
}
