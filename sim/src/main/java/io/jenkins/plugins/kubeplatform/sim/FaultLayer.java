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
        if (fault.isPresent() && fault.get() instanceof Faults.Injected.DropWatch d
                && response instanceof StreamingResponse streaming) {
            // a watch streamed over plain HTTP (kubectl's): the server ends the chunked body early
            StreamingResponse dropping = new StreamingResponse(streaming.timeout(), sink -> {
                streaming.open(sink);
                faults.schedule(sink::end, d.after());
            });
            streaming.getHeaders().toMultimap().forEach((name, values) -> values.forEach(v -> dropping.setHeader(name, v)));
            return dropping;
        }
        if (fault.isPresent() && fault.get() instanceof Faults.Injected.StallWatch
                && response.getWebSocketListener() != null) {
            return response.withWebSocketUpgrade(new Stalling(response.getWebSocketListener()));
        }
        if (fault.isPresent() && fault.get() instanceof Faults.Injected.StallWatch
                && response instanceof StreamingResponse streaming) {
            // a watch streamed over plain HTTP: the headers go out, the events never do
            StreamingResponse stalling = new StreamingResponse(streaming.timeout(), sink -> streaming.open(
                    new SilentSink(sink)));
            streaming.getHeaders().toMultimap().forEach((name, values) -> values.forEach(v -> stalling.setHeader(name, v)));
            return stalling;
        }
        return response;
    }

    /** Marks a response that {@link SimHttpServer} answers by closing the connection without a byte: a reset. */
    static final String RESET_HEADER = "X-Sim-Connection-Reset";

    /**
     * A connection that breaks before any answer: {@link SimHttpServer} closes it when it sees {@link #RESET_HEADER},
     * so the client meets an I/O error with no HTTP status; the request was not processed. (Any other server would
     * see a head with two contradicting lengths, which an HTTP client must refuse, RFC 9112 6.3.)
     */
    static MockResponse reset() {
        return new MockResponse().setResponseCode(200).setHeader(RESET_HEADER, "true")
                .setHeader("Content-Type", "application/json")
                .setHeader("Content-Length", "4096").setHeader("Connection", "close").setBody("{");
    }

    /** Passes every WebSocket event to the watch's own listener; the faults below change what {@code onOpen} does. */
    private abstract static class Forwarding extends WebSocketListener {
        protected final WebSocketListener delegate;

        Forwarding(WebSocketListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onBeforeAccept(WebSocket webSocket, Response response) {
            delegate.onBeforeAccept(webSocket, response);
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            delegate.onOpen(webSocket, response);
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

    /** A watch the server closes after {@code after}, as a load balancer or a restarting API server does. */
    private static final class Dropping extends Forwarding {
        private final Duration after;
        private final Faults faults;

        Dropping(WebSocketListener delegate, Duration after, Faults faults) {
            super(delegate);
            this.after = after;
            this.faults = faults;
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            delegate.onOpen(webSocket, response);
            faults.schedule(() -> webSocket.close(1001, "simulated fault: watch dropped"), after);
        }
    }

    /** A stream whose lines are dropped on the way: it stays open as long as the real one would. */
    private record SilentSink(StreamingResponse.Sink sink) implements StreamingResponse.Sink {
        @Override
        public boolean writeLine(String line) {
            return true;
        }

        @Override
        public void end() {
            sink.end();
        }

        @Override
        public void every(Duration period, Runnable task) {
            sink.every(period, task);
        }

        @Override
        public void onEnd(Runnable task) {
            sink.onEnd(task);
        }
    }

    /** A WebSocket watch whose events never leave the server; the connection stays open. */
    private static final class Stalling extends Forwarding {

        Stalling(WebSocketListener delegate) {
            super(delegate);
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            delegate.onOpen(new WebSocket() {
                @Override
                public io.fabric8.mockwebserver.http.RecordedRequest request() {
                    return webSocket.request();
                }

                @Override
                public boolean send(String text) {
                    return true;
                }

                @Override
                public boolean send(byte[] bytes) {
                    return true;
                }

                @Override
                public boolean close(int code, String reason) {
                    return true; // the stream never ends either
                }
            }, response);
        }
    }
}
