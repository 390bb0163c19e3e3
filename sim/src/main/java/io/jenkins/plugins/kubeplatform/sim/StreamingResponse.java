package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.mockwebserver.http.MockResponse;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A response whose body is written while it is open, as kube-apiserver streams a watch over plain HTTP: chunked,
 * one JSON event per line, ended by the server after {@code timeout} or by the client closing the connection.
 * {@link SimHttpServer} writes it; the mock's own server would need the whole body up front.
 */
final class StreamingResponse extends MockResponse {

    /** The open body: lines are written as they happen; timers run until the stream ends. */
    interface Sink {
        /** Writes one line (a newline is added) and flushes it; false once the stream has ended. */
        boolean writeLine(String line);

        /** Ends the stream (idempotent). */
        void end();

        /** Runs {@code task} every {@code period} while the stream is open. */
        void every(Duration period, Runnable task);

        /** Runs {@code task} once when the stream ends, whoever ends it. */
        void onEnd(Runnable task);
    }

    private final Duration timeout;
    private final Consumer<Sink> body;

    StreamingResponse(Duration timeout, Consumer<Sink> body) {
        this.timeout = timeout;
        this.body = body;
        setResponseCode(200);
        setHeader("Content-Type", "application/json");
        setHeader("Transfer-Encoding", "chunked");
    }

    Duration timeout() {
        return timeout;
    }

    /** Called by the server once the status line and headers are sent. */
    void open(Sink sink) {
        body.accept(sink);
    }
}
