package io.jenkins.plugins.kubeplatform.sim.auth;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Opt-in authentication for the simulated cluster: a TLS endpoint (certificate from {@link SimCertificates}) in front
 * of the plain mock API server. Each request is authenticated by {@link SimAuthenticator}; an unknown credential gets
 * the API server's 401 Status, an authenticated one is forwarded with the front-proxy headers {@code X-Remote-User}
 * and {@code X-Remote-Group} (those sent by the client are dropped), as the request-header authenticator of a real
 * API server receives them; with the cluster's RBAC mode on, the API endpoint authorizes that user (see
 * {@code SimulatedCluster.authenticatingFront}, which shares the cluster's identities). Watches (WebSocket upgrades) are piped through once authenticated.
 */
public final class AuthenticatingFront implements Closeable {

    public static final String USER_HEADER = "X-Remote-User";
    public static final String GROUP_HEADER = "X-Remote-Group";
    /**
     * Proves to the simulated API endpoint that the front-proxy headers come from this front (a real API server
     * trusts them only from a client certificate signed by its request-header CA).
     */
    public static final String PROXY_HEADER = "X-Kubeplatform-Front";
    private static final String UNAUTHORIZED = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
            + "\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}";

    private final SSLServerSocket server;
    private final InetSocketAddress upstream;
    private final SimAuthenticator authenticator;
    private final SimCertificates certificates;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    /** Who every forwarded request was authenticated as, in order. */
    private final List<UserInfo> authenticated = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean closed;

    private AuthenticatingFront(SSLServerSocket server, InetSocketAddress upstream, SimAuthenticator authenticator,
                                SimCertificates certificates) {
        this.server = server;
        this.upstream = upstream;
        this.authenticator = authenticator;
        this.certificates = certificates;
    }

    /** Starts the front on an ephemeral port of 127.0.0.1 for the plain API server at {@code upstreamUrl}. */
    public static AuthenticatingFront start(String upstreamUrl, SimAuthenticator authenticator,
                                            SimCertificates certificates) {
        try {
            SimCertificates.Issued serving = certificates.server();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] password = "sim".toCharArray();
            keys.setKeyEntry("server", serving.key(), password,
                    new Certificate[] {serving.certificate(), certificates.ca()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", certificates.ca());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            SSLServerSocket socket = (SSLServerSocket) tls.getServerSocketFactory()
                    .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            socket.setWantClientAuth(true);
            URI uri = URI.create(upstreamUrl);
            AuthenticatingFront front = new AuthenticatingFront(socket,
                    new InetSocketAddress(uri.getHost(), uri.getPort()), authenticator, certificates);
            Thread acceptor = new Thread(front::accept, "sim-auth-front-" + socket.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
            return front;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot start the authenticating front", e);
        }
    }

    /** The HTTPS URL clients use. */
    public String url() {
        return "https://127.0.0.1:" + server.getLocalPort();
    }

    /** The CA that signed the serving certificate (and client certificates), PEM. */
    public String caPem() {
        return certificates.caPem();
    }

    public List<UserInfo> authenticated() {
        synchronized (authenticated) {
            return List.copyOf(authenticated);
        }
    }

    private void accept() {
        while (!closed) {
            try {
                SSLSocket client = (SSLSocket) server.accept();
                open.add(client);
                Thread t = new Thread(() -> serve(client), "sim-auth-conn-" + client.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    private void serve(SSLSocket client) {
        try (client; Socket up = new Socket()) {
            open.add(up);
            client.startHandshake();
            X509Certificate peer = peerCertificate(client);
            up.connect(upstream, 10_000);
            Thread back = new Thread(() -> pipe(up, client), "sim-auth-back-" + client.getPort());
            back.setDaemon(true);
            back.start();
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = up.getOutputStream();
            while (true) {
                List<String> head = readHead(in);
                if (head == null) {
                    return;
                }
                Optional<UserInfo> user = authenticator.authenticate(peer, header(head, "Authorization"));
                if (user.isEmpty()) {
                    byte[] body = UNAUTHORIZED.getBytes(StandardCharsets.UTF_8);
                    OutputStream reply = client.getOutputStream();
                    reply.write(("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    reply.write(body);
                    reply.flush();
                    return;
                }
                authenticated.add(user.get());
                StringBuilder forwarded = new StringBuilder();
                for (String line : head) {
                    String lower = line.toLowerCase(Locale.ROOT);
                    if (!lower.startsWith(USER_HEADER.toLowerCase(Locale.ROOT) + ":")
                            && !lower.startsWith(GROUP_HEADER.toLowerCase(Locale.ROOT) + ":")
                            && !lower.startsWith(PROXY_HEADER.toLowerCase(Locale.ROOT) + ":")) {
                        forwarded.append(line).append("\r\n");
                    }
                }
                forwarded.append(PROXY_HEADER).append(": ").append(authenticator.tokens().proxySecret())
                        .append("\r\n");
                forwarded.append(USER_HEADER).append(": ").append(user.get().user()).append("\r\n");
                user.get().groups().forEach(g -> forwarded.append(GROUP_HEADER).append(": ").append(g).append("\r\n"));
                out.write(forwarded.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
                if (header(head, "Upgrade") != null) {
                    out.flush();
                    in.transferTo(out);
                    return;
                }
                String length = header(head, "Content-Length");
                if (length != null) {
                    copy(in, out, Long.parseLong(length.trim()));
                } else if ("chunked".equalsIgnoreCase(String.valueOf(header(head, "Transfer-Encoding")).trim())) {
                    copyChunked(in, out);
                }
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the client or the API server closed the connection
        } finally {
            open.removeIf(s -> s.isClosed());
        }
    }

    private static X509Certificate peerCertificate(SSLSocket socket) {
        try {
            Certificate[] chain = socket.getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException none) {
            return null;
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed
        } finally {
            try {
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** The request line and headers up to the empty line; null at the end of the stream. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n' && previous == '\r') {
                byte[] bytes = line.toByteArray();
                String text = new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
                if (text.isEmpty()) {
                    return lines;
                }
                lines.add(text);
                line.reset();
            } else {
                line.write(b);
            }
            previous = b;
            if (line.size() > 64 * 1024) {
                throw new IOException("request head too long");
            }
        }
        return null;
    }

    private static String header(List<String> head, String name) {
        for (String line : head.subList(1, head.size())) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[8192];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("request body ended early");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static void copyChunked(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String sizeLine = readLine(in);
            out.write((sizeLine + "\r\n").getBytes(StandardCharsets.US_ASCII));
            int semicolon = sizeLine.indexOf(';');
            long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                String trailer;
                while (!(trailer = readLine(in)).isEmpty()) {
                    out.write((trailer + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            copy(in, out, size + 2);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n' && previous == '\r') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
            }
            line.write(b);
            previous = b;
        }
        throw new IOException("stream ended inside a chunked body");
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
