package io.jenkins.plugins.kubeplatform.engine.expose;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The nginx configuration of one host: an {@code upstream} block with one {@code server} line per ready endpoint,
 * an HTTP server block, and with a certificate an HTTPS server block. Every value that reaches the file is checked
 * against a strict pattern first (DNS names, IP addresses, ports, absolute paths), and free text (the owner, the
 * build) only appears in comments with anything but letters, digits and plain punctuation escaped, so no input can
 * add a directive, a block or a variable.
 *
 * @param host        the served host
 * @param servers     where requests go, each {@code host:port}, {@code IPv4:port} or {@code [IPv6]:port}; empty means
 *                    no ready endpoint (the host answers 503)
 * @param listeners   the listen values of the managed nginx
 * @param owner       who holds the host (comment only)
 * @param requestedBy the build or user that claimed it (comment only)
 * @param tls         the host's certificate, if any
 */
public record NginxServerBlock(String host, List<String> servers, Listeners listeners, Owner owner,
        String requestedBy, Optional<Tls> tls) {

    /** First line of every file this project writes; files without it are never touched. */
    public static final String HEADER = "# Managed by kubernetes-platform-steps (exposeApp); edits are overwritten.";

    /** File of the catch-all server (not a host name, so it never collides with a host's file). */
    public static final String DEFAULT_SERVER_FILE = "_default_server.conf";

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]{2,45}]");
    private static final Pattern HOST_PORT = Pattern.compile("(.+):(\\d{1,5})");
    private static final Pattern CONFIG_PATH = Pattern.compile("/[A-Za-z0-9._/-]*");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*");

    /**
     * Where the managed nginx listens.
     *
     * @param http     a port or {@code IPv4:port}
     * @param https    the same for TLS, or null for no HTTPS
     * @param redirect whether a host with a certificate redirects HTTP to HTTPS
     */
    public record Listeners(String http, String https, boolean redirect) {
        public Listeners {
            http = checkListen("domains.nginxListen", http);
            https = https == null ? null : checkListen("domains.nginxHttpsListen", https);
        }

        static Listeners of(ExposeSettings.Nginx nginx) {
            return new Listeners(nginx.listen(), nginx.httpsListen(), nginx.redirects());
        }
    }

    /** A host's certificate and key. */
    public sealed interface Tls {
        Path certificateFile();

        Path keyFile();

        /** Files configured by the administrator, used where they are. */
        record Files(Path certificateFile, Path keyFile) implements Tls {
        }

        /**
         * PEM text from a {@code kubernetes.io/tls} Secret, written by {@link NginxSites} to the two files (mode 0600).
         *
         * @param source the Secret, {@code namespace/name} (comment only)
         */
        record Material(Path certificateFile, Path keyFile, String certificatePem, String keyPem, String source)
                implements Tls {
            public Material {
                if (certificatePem == null || !certificatePem.contains("-----BEGIN CERTIFICATE-----")
                        || keyPem == null || !keyPem.contains("PRIVATE KEY-----")) {
                    throw new InvalidInputException("Secret " + source, "must be of type kubernetes.io/tls with a PEM "
                            + "certificate in tls.crt and a PEM private key in tls.key");
                }
            }

            @Override
            public String toString() {
                return "Material[" + certificateFile + ", " + keyFile + ", from " + source + "]"; // never the key
            }
        }
    }

    public NginxServerBlock {
        host = checkHost("host", host);
        List<String> checked = new ArrayList<>();
        for (String server : servers) {
            checked.add(checkUpstream("nginx upstream", server));
        }
        servers = List.copyOf(new TreeSet<>(checked));
        Objects.requireNonNull(listeners, "listeners");
        Require.dnsLabel("namespace", owner.namespace());
        requestedBy = requestedBy == null ? "" : requestedBy;
        tls = tls == null ? Optional.empty() : tls;
        tls.ifPresent(t -> {
            checkConfigPath("certificate file", t.certificateFile().toString());
            checkConfigPath("key file", t.keyFile().toString());
        });
    }

    /** The file name of the block for {@code host} (a checked DNS name, so it cannot leave the directory). */
    public static String fileName(String host) {
        return checkHost("host", host) + ".conf";
    }

    public String fileName() {
        return fileName(host);
    }

    /** Whether this host is served over HTTPS (a certificate and an HTTPS listen address). */
    public boolean servesHttps() {
        return tls.isPresent() && listeners.https() != null;
    }

    public String render() {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        b.append("# owner ").append(comment(owner.namespace() + "/" + owner.app()));
        if (!requestedBy.isEmpty()) {
            b.append(" (build ").append(comment(requestedBy)).append(')');
        }
        b.append('\n');
        b.append("# upstream ").append(servers.isEmpty() ? "none (no ready endpoint)" : String.join(" ", servers)).append('\n');
        if (tls.orElse(null) instanceof Tls.Material m) {
            b.append("# certificate from Secret ").append(comment(m.source())).append(", sha256 ")
                    .append(DnsNames.hash(m.certificatePem() + "\n" + m.keyPem())).append('\n');
        }
        String upstreamName = "kp." + host;
        if (!servers.isEmpty()) {
            b.append("upstream ").append(upstreamName).append(" {\n");
            servers.forEach(s -> b.append("    server ").append(s).append(";\n"));
            b.append("}\n");
        }
        b.append("server {\n");
        b.append("    listen ").append(listeners.http()).append(";\n");
        b.append("    server_name ").append(host).append(";\n");
        if (servesHttps() && listeners.redirect()) {
            String port = port(listeners.https());
            b.append("    return 301 https://$host").append("443".equals(port) ? "" : ":" + port)
                    .append("$request_uri;\n");
        } else {
            location(b, upstreamName);
        }
        b.append("}\n");
        if (servesHttps()) {
            Tls t = tls.get();
            b.append("server {\n");
            b.append("    listen ").append(listeners.https()).append(" ssl;\n");
            b.append("    server_name ").append(host).append(";\n");
            b.append("    ssl_certificate ").append(t.certificateFile()).append(";\n");
            b.append("    ssl_certificate_key ").append(t.keyFile()).append(";\n");
            location(b, upstreamName);
            b.append("}\n");
        }
        return b.toString();
    }

    private void location(StringBuilder b, String upstreamName) {
        b.append("    location / {\n");
        if (servers.isEmpty()) {
            b.append("        return 503;\n");
        } else {
            b.append("        proxy_pass http://").append(upstreamName).append(";\n");
            b.append("        proxy_set_header Host $host;\n");
            b.append("        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n");
            b.append("        proxy_set_header X-Forwarded-Proto $scheme;\n");
        }
        b.append("    }\n");
    }

    /**
     * The catch-all: a {@code default_server} for every listen address, so a host without a block of its own (a
     * typo, a released host) gets 404 and never another app, and a TLS handshake for an unknown name is refused
     * without presenting any app's certificate ({@code ssl_reject_handshake}, nginx 1.19.4 or newer).
     */
    public static String renderDefaultServer(Listeners listeners) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        b.append("# catch-all: hosts without a block of their own get 404; unknown TLS names get no certificate\n");
        b.append("server {\n");
        b.append("    listen ").append(listeners.http()).append(" default_server;\n");
        b.append("    server_name _;\n");
        b.append("    return 404;\n");
        b.append("}\n");
        if (listeners.https() != null) {
            b.append("server {\n");
            b.append("    listen ").append(listeners.https()).append(" ssl default_server;\n");
            b.append("    server_name _;\n");
            b.append("    ssl_reject_handshake on;\n");
            b.append("}\n");
        }
        return b.toString();
    }

    /** Free text for a comment: letters, digits and {@code ./-_#:@ } stay, everything else becomes {@code \\uXXXX}. */
    static String comment(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || "./-_#:@ ".indexOf(c) >= 0) {
                out.appendCodePoint(c);
            } else {
                out.append(String.format("\\u%04x", c));
            }
        });
        return out.toString();
    }

    private static String port(String listen) {
        return listen.contains(":") ? listen.substring(listen.lastIndexOf(':') + 1) : listen;
    }

    /** A lowercase DNS name: nothing else can appear in {@code server_name} or a file name. */
    public static String checkHost(String field, String value) {
        if (value == null || !DnsNames.isHost(value)) {
            throw new InvalidInputException(field, "must be a lowercase DNS name (labels of a-z, 0-9 and '-', "
                    + "separated by dots, at most 253 characters); got '" + Require.printable(String.valueOf(value)) + "'");
        }
        return value;
    }

    /** {@code name:port}, {@code IPv4:port} or {@code [IPv6]:port}; nothing that nginx could read as more. */
    public static String checkUpstream(String field, String value) {
        String rule = "must be host:port, IPv4:port or [IPv6]:port with a port 1-65535; got '"
                + Require.printable(String.valueOf(value)) + "'";
        if (value == null) {
            throw new InvalidInputException(field, rule);
        }
        Matcher m = HOST_PORT.matcher(value);
        if (!m.matches() || !validPort(m.group(2))) {
            throw new InvalidInputException(field, rule);
        }
        String address = m.group(1);
        if (!(isIpv4(address) || IPV6.matcher(address).matches()
                || address.length() <= 253 && DNS_SUBDOMAIN.matcher(address).matches())) {
            throw new InvalidInputException(field, rule);
        }
        return value;
    }

    /** A port, or {@code IPv4:port}. */
    public static String checkListen(String field, String value) {
        String v = value == null || value.isBlank() ? "80" : value;
        Matcher m = HOST_PORT.matcher(v);
        boolean ok = PORT.matcher(v).matches() ? validPort(v) : m.matches() && isIpv4(m.group(1)) && validPort(m.group(2));
        if (!ok) {
            throw new InvalidInputException(field, "must be a port (1-65535) or IPv4:port; got '" + Require.printable(v) + "'");
        }
        return v;
    }

    /** The nginx settings with defaults filled in, each value checked. */
    static ExposeSettings.Nginx validatedSettings(ExposeSettings.Nginx nginx) {
        Path dir = checkPath("domains.nginxConfDir", nginx.confDir());
        String binary = checkBinary("domains.nginxBinary", nginx.binary() == null || nginx.binary().isBlank() ? "nginx"
                : nginx.binary());
        String main = nginx.mainConfig() == null || nginx.mainConfig().isBlank() ? null
                : checkPath("domains.nginxMainConfig", nginx.mainConfig()).toString();
        String https = nginx.httpsListen() == null || nginx.httpsListen().isBlank() ? null
                : checkListen("domains.nginxHttpsListen", nginx.httpsListen().trim());
        boolean certificate = nginx.certificateFile() != null && !nginx.certificateFile().isBlank();
        boolean key = nginx.keyFile() != null && !nginx.keyFile().isBlank();
        if (certificate != key) {
            throw new InvalidInputException(certificate ? "domains.nginxKeyFile" : "domains.nginxCertificateFile",
                    "is required together with " + (certificate ? "domains.nginxCertificateFile" : "domains.nginxKeyFile"));
        }
        String interval = nginx.reloadInterval() == null || nginx.reloadInterval().isBlank() ? "2s" : nginx.reloadInterval().trim();
        Require.duration("domains.nginxReloadInterval", interval);
        String listen = checkListen("domains.nginxListen", nginx.listen());
        if (https != null) {
            checkConfigPath("domains.nginxConfDir", dir.toString()); // certificate files from Secrets go under it
        }
        if (listen.equals(https)) {
            throw new InvalidInputException("domains.nginxHttpsListen", "must differ from domains.nginxListen");
        }
        return new ExposeSettings.Nginx(dir.toString(), binary, main, listen, https,
                nginx.redirectToHttps(), certificate ? checkConfigPath("domains.nginxCertificateFile", nginx.certificateFile()) : null,
                key ? checkConfigPath("domains.nginxKeyFile", nginx.keyFile()) : null, nginx.clusterIpFallback(), interval);
    }

    /** The nginx executable: a program name or path without control characters (trimmed). */
    static String checkBinary(String field, String value) {
        String binary = value.trim();
        if (binary.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidInputException(field, "must be a program name or path without control characters");
        }
        return binary;
    }

    /** An absolute path that is written into the configuration: only {@code A-Z a-z 0-9 . _ - /}. */
    static String checkConfigPath(String field, String value) {
        Path path = checkPath(field, value);
        if (!CONFIG_PATH.matcher(path.toString()).matches()) {
            throw new InvalidInputException(field, "is written into the nginx configuration and may only contain "
                    + "letters, digits, '.', '_', '-' and '/'; got '" + Require.printable(value) + "'");
        }
        return path.toString();
    }

    static Path checkPath(String field, String value) {
        if (value == null || value.isBlank() || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidInputException(field, "must be an absolute path without control characters");
        }
        Path path = Path.of(value.trim());
        if (!path.isAbsolute()) {
            throw new InvalidInputException(field, "must be an absolute path; got '" + Require.printable(value) + "'");
        }
        return path.normalize();
    }

    private static boolean isIpv4(String s) {
        Matcher m = IPV4.matcher(s);
        if (!m.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean validPort(String s) {
        if (!PORT.matcher(s).matches()) {
            return false;
        }
        int p = Integer.parseInt(s);
        return p >= 1 && p <= 65535;
    }
}
