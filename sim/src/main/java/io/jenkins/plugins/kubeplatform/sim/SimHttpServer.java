package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.vertx.ServerWebSocketHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server of the simulated API server: serves the dispatcher's responses as the mock's own server does
 * (status, headers, body, body delay, WebSocket upgrades), and in addition writes {@link StreamingResponse}s while
 * they are open, so a watch over plain HTTP streams its events as they happen.
 */
final class SimHttpServer extends MockWebServer {

    private static final List<String> WEBSOCKET_SUB_PROTOCOLS = List.of("v1.channel.k8s.io", "v2.channel.k8s.io",
            "v3.channel.k8s.io", "v4.channel.k8s.io");

    /** The Vert.x instance the mock's constructor made (unused by it, since {@link #start} is replaced here). */
    private final Vertx vertx = mockVertx();
    private volatile Dispatcher dispatcher;
    private HttpServer server;
    private InetAddress address;
    private int port;

    private Vertx mockVertx() {
        try {
            java.lang.reflect.Field field = MockWebServer.class.getDeclaredField("vertx");
            field.setAccessible(true);
            return (Vertx) field.get(this);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Vertx.vertx(); // another mock version: its own instance then stays idle
        }
    }

    @Override
    public void setDispatcher(Dispatcher dispatcher) {
        super.setDispatcher(dispatcher);
        this.dispatcher = dispatcher;
    }

    @Override
    public synchronized void start(InetAddress inet, int requestedPort) {
        if (server != null) {
            throw new IllegalStateException("start() already called");
        }
        address = inet;
        server = vertx.createHttpServer(new HttpServerOptions().setHost(inet.getHostAddress()).setPort(requestedPort)
                .setWebSocketSubProtocols(WEBSOCKET_SUB_PROTOCOLS).setHandle100ContinueAutomatically(true));
        server.requestHandler(this::handle);
        port = await(server.listen().toCompletionStage().toCompletableFuture()).actualPort();
    }

    @Override
    public int getPort() {
        return port;
    }

    @Override
    public String getHostName() {
        return address == null ? "127.0.0.1" : address.getHostAddress();
    }

    @Override
    public synchronized void shutdown() {
        if (dispatcher != null) {
            dispatcher.shutdown();
        }
        if (server != null) {
            await(server.close().toCompletionStage().toCompletableFuture());
        }
        await(vertx.close().toCompletionStage().toCompletableFuture());
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("the simulated API server's HTTP listener failed: " + e.getMessage(), e);
        }
    }

    /** Whether the request carries a body (reading one from a WebSocket upgrade request would consume it). */
    private static boolean hasBody(HttpServerRequest req) {
        String length = req.headers().get("Content-Length");
        if (length != null && !length.isBlank()) {
            try {
                return Integer.parseInt(length.trim()) > 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return req.headers().contains("Transfer-Encoding");
    }

    private void handle(HttpServerRequest req) {
        io.vertx.core.Future<io.vertx.core.buffer.Buffer> read = hasBody(req) ? req.body()
                : io.vertx.core.Future.succeededFuture(null);
        read.onFailure(t -> {
            if (!req.response().headWritten()) {
                req.response().setStatusCode(500).end(String.valueOf(t.getMessage()));
            }
        }).onSuccess(body -> {
            RecordedRequest recorded = new RecordedRequest(req.version().alpnName().toUpperCase(Locale.ROOT),
                    HttpMethod.fromVertx(req.method()), req.uri(), Headers.builder().addAll(req.headers()).build(),
                    new Buffer(body == null ? new byte[0] : body.getBytes()));
            MockResponse response = dispatcher.dispatch(recorded);
            if (response.getHeaders().get(FaultLayer.RESET_HEADER) != null) {
                req.connection().close(); // an injected reset: the client gets no answer at all
                return;
            }
            if (response.getWebSocketListener() != null) {
                req.toWebSocket().onFailure(t -> req.response().setStatusCode(400).end())
                        .onSuccess(new ServerWebSocketHandler(recorded, response));
                return;
            }
            HttpServerResponse out = req.response().setStatusCode(response.code());
            response.getHeaders().toMultimap().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Transfer-Encoding")) {
                    out.headers().add(name, values);
                }
            });
            if (response instanceof StreamingResponse streaming) {
                stream(out, streaming);
                return;
            }
            byte[] bytes = response.getBody() == null ? new byte[0] : response.getBody().getBytes();
            io.vertx.core.buffer.Buffer buffer = io.vertx.core.buffer.Buffer.buffer(bytes);
            Duration delay = response.getBodyDelay();
            if (delay != null && !delay.isZero() && !delay.isNegative()) {
                vertx.setTimer(delay.toMillis(), id -> out.end(buffer));
            } else {
                out.end(buffer);
            }
        });
    }

    private void stream(HttpServerResponse out, StreamingResponse streaming) {
        out.setChunked(true);
        OpenStream sink = new OpenStream(out);
        out.closeHandler(v -> sink.end());
        sink.timers.add(vertx.setTimer(Math.max(1, streaming.timeout().toMillis()), id -> sink.end()));
        out.write(io.vertx.core.buffer.Buffer.buffer()).onComplete(r -> streaming.open(sink));
    }

    /** One open streaming response. */
    private final class OpenStream implements StreamingResponse.Sink {
        private final HttpServerResponse out;
        private final List<Long> timers = new ArrayList<>();
        private final List<Runnable> onEnd = new ArrayList<>();
        private boolean ended;

        OpenStream(HttpServerResponse out) {
            this.out = out;
        }

        @Override
        public synchronized boolean writeLine(String line) {
            if (ended) {
                return false;
            }
            out.write(line + "\n");
            return true;
        }

        @Override
        public void end() {
            List<Runnable> tasks;
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                timers.forEach(vertx::cancelTimer);
                tasks = new ArrayList<>(onEnd);
                try {
                    out.end();
                } catch (IllegalStateException closed) {
                    // the client closed the connection first
                }
            }
            tasks.forEach(Runnable::run);
        }

        @Override
        public synchronized void every(Duration period, Runnable task) {
            if (!ended) {
                timers.add(vertx.setPeriodic(Math.max(1, period.toMillis()), id -> task.run()));
            }
        }

        @Override
        public void onEnd(Runnable task) {
            boolean runNow;
            synchronized (this) {
                runNow = ended;
                if (!ended) {
                    onEnd.add(task);
                }
            }
            if (runNow) {
                task.run();
            }
        }
    }
}
