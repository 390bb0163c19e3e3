package io.jenkins.plugins.kubeplatform.engine.expose;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What the nginx-mode tests run against, once per class: a private nginx under {@code prefix}, one loopback HTTP
 * backend on an ephemeral port that answers every request with a fixed body, and a simulated cluster.
 */
final class NginxTestbed implements AutoCloseable {

    final PrivateNginx nginx;
    final HttpServer backend;
    final SimulatedCluster sim;

    private NginxTestbed(PrivateNginx nginx, HttpServer backend, SimulatedCluster sim) {
        this.nginx = nginx;
        this.backend = backend;
        this.sim = sim;
    }

    /** Starts the three; what started is stopped again when a later one fails. */
    static NginxTestbed start(Path prefix, String body) throws Exception {
        PrivateNginx nginx = PrivateNginx.start(prefix);
        HttpServer backend = null;
        try {
            backend = backend(body);
            return new NginxTestbed(nginx, backend, SimulatedCluster.start());
        } catch (Exception | Error e) {
            if (backend != null) {
                backend.stop(0);
            }
            nginx.close();
            throw e;
        }
    }

    private static HttpServer backend(String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** The backend as an nginx upstream, {@code 127.0.0.1:port}. */
    String upstream() {
        return "127.0.0.1:" + backend.getAddress().getPort();
    }

    @Override
    public void close() throws Exception {
        sim.close();
        backend.stop(0);
        nginx.close();
    }
}
