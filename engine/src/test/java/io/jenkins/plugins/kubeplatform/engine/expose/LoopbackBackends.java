package io.jenkins.plugins.kubeplatform.engine.expose;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Small HTTP servers, one per loopback address ({@code 127.0.0.0/8} is all loopback on Linux), all on one port: the
 * "pods" of an app whose EndpointSlice lists those addresses. Each answers with its address and counts requests.
 */
final class LoopbackBackends implements AutoCloseable {

    final int port;
    private final List<HttpServer> servers;
    private final Map<String, AtomicInteger> counts;

    private LoopbackBackends(int port, List<HttpServer> servers, Map<String, AtomicInteger> counts) {
        this.port = port;
        this.servers = servers;
        this.counts = counts;
    }

    static LoopbackBackends start(String... addresses) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            List<HttpServer> started = new ArrayList<>();
            Map<String, AtomicInteger> counts = new LinkedHashMap<>();
            try {
                int port = 0;
                for (String address : addresses) {
                    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 0);
                    started.add(server);
                    port = server.getAddress().getPort(); // the first picks a free port, the others take the same
                    AtomicInteger count = new AtomicInteger();
                    counts.put(address, count);
                    server.createContext("/", exchange -> {
                        count.incrementAndGet();
                        byte[] body = ("backend " + address).getBytes(StandardCharsets.UTF_8);
                        exchange.sendResponseHeaders(200, body.length);
                        exchange.getResponseBody().write(body);
                        exchange.close();
                    });
                    server.start();
                }
                return new LoopbackBackends(port, started, counts);
            } catch (BindException e) {
                started.forEach(s -> s.stop(0)); // the port was free on the first address only: try another
                last = e;
            }
        }
        throw last;
    }

    /** Requests answered per address since the last reset. */
    Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.forEach((a, c) -> out.put(a, c.get()));
        return out;
    }

    void reset() {
        counts.values().forEach(c -> c.set(0));
    }

    @Override
    public void close() {
        servers.forEach(s -> s.stop(0));
    }
}
