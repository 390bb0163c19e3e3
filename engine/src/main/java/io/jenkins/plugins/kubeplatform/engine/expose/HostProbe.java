package io.jenkins.plugins.kubeplatform.engine.expose;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * One plain HTTP/1.1 request to an entry point with a chosen Host header (EXP-8). A raw socket, because Java's
 * HTTP client does not let callers set Host, and the entry point is addressed by IP while the host is virtual.
 */
public final class HostProbe {

    /** The answer: status line code and the start of the body. */
    public record Answer(int status, String body) {
    }

    private HostProbe() {
    }

    public static Optional<Answer> get(String address, int port, String host, Duration timeout) {
        try (Socket socket = new Socket()) {
            int millis = (int) Math.max(1, timeout.toMillis());
            socket.connect(new InetSocketAddress(address, port), millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + NginxServerBlock.checkHost("host", host)
                    + "\r\nUser-Agent: kubernetes-platform-steps\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            if (!response.startsWith("HTTP/1.")) {
                return Optional.empty();
            }
            int lineEnd = response.indexOf("\r\n");
            String[] statusLine = response.substring(0, lineEnd < 0 ? response.length() : lineEnd).split(" ");
            int bodyStart = response.indexOf("\r\n\r\n");
            String body = bodyStart < 0 ? "" : response.substring(bodyStart + 4);
            return Optional.of(new Answer(Integer.parseInt(statusLine[1]), body));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
