package io.jenkins.plugins.kubeplatform.expose;

import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.core.Require;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One nginx server block for one host. Every value that reaches the file is checked against a strict pattern
 * first (DNS names, IP addresses, ports), so no input can add a directive, a block or a variable.
 *
 * @param host     the served host
 * @param upstream where requests go: {@code host:port}, {@code IPv4:port} or {@code [IPv6]:port}
 * @param listen   a port, or {@code IPv4:port}
 * @param namespace namespace of the owner (a DNS label), recorded in the header comment
 */
public record NginxServerBlock(String host, String upstream, String listen, String namespace) {

    /** First line of every file this project writes; files without it are never touched. */
    public static final String HEADER = "# Managed by kubernetes-platform-steps (exposeApp); edits are overwritten.";

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]{2,45}]");
    private static final Pattern HOST_PORT = Pattern.compile("(.+):(\\d{1,5})");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*");

    public NginxServerBlock {
        host = checkHost("host", host);
        upstream = checkUpstream("nginx upstream", upstream);
        listen = checkListen("domains.nginx.listen", listen);
        namespace = Require.dnsLabel("namespace", namespace);
    }

    /** The file name of the block for {@code host} (a checked DNS name, so it cannot leave the directory). */
    public static String fileName(String host) {
        return checkHost("host", host) + ".conf";
    }

    public String fileName() {
        return fileName(host);
    }

    public String render() {
        return HEADER + "\n"
                + "# namespace " + namespace + "\n"
                + "server {\n"
                + "    listen " + listen + ";\n"
                + "    server_name " + host + ";\n"
                + "    location / {\n"
                + "        proxy_pass http://" + upstream + ";\n"
                + "        proxy_set_header Host $host;\n"
                + "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
                + "        proxy_set_header X-Forwarded-Proto $scheme;\n"
                + "    }\n"
                + "}\n";
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
        Path dir = checkPath("domains.nginx.confDir", nginx.confDir());
        String binary = nginx.binary() == null || nginx.binary().isBlank() ? "nginx" : nginx.binary().trim();
        if (binary.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidInputException("domains.nginx.binary", "must be a program name or path without control characters");
        }
        String main = nginx.mainConfig() == null || nginx.mainConfig().isBlank() ? null
                : checkPath("domains.nginx.mainConfig", nginx.mainConfig()).toString();
        return new ExposeSettings.Nginx(dir.toString(), binary, main, checkListen("domains.nginx.listen", nginx.listen()));
    }

    private static Path checkPath(String field, String value) {
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
