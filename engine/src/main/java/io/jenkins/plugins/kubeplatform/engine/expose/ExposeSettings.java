package io.jenkins.plugins.kubeplatform.engine.expose;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code domains} section of the platform configuration (Jenkins global configuration or the CLI's --config
 * file). Absent values take the defaults; {@link #validated()} checks every value before anything is changed.
 *
 * @param suffix           DNS suffix under which hosts are generated; wildcard DNS points {@code *.suffix} (or
 *                         {@code *.namespace.suffix}) at the entry point
 * @param template         host template, {@value DomainTemplate#DEFAULT} by default
 * @param route            ingress (default), httproute or none (nginx mode only)
 * @param ingressClassName Ingress class, {@code nginx} by default
 * @param tls              TLS by secret or cert-manager issuer; absent means plain HTTP
 * @param gateway          the Gateway HTTPRoutes attach to
 * @param claimNamespace   namespace of the host claim objects, {@code kubeplatform-system} by default
 * @param onConflict       fail (default) or next-free
 * @param admitTimeout     how long to wait for the route to be admitted, 2m by default
 * @param nginx            the platform's own nginx (nginx mode); absent means off
 */
public record ExposeSettings(
        String suffix,
        String template,
        String route,
        String ingressClassName,
        Tls tls,
        Gateway gateway,
        String claimNamespace,
        String onConflict,
        String admitTimeout,
        Nginx nginx,
        java.util.List<String> managedNamespaces) {

    public static final String DEFAULT_SUFFIX = "apps.example.test";
    public static final String DEFAULT_CLAIM_NAMESPACE = "kubeplatform-system";
    public static final String DEFAULT_INGRESS_CLASS = "nginx";
    public static final String DEFAULT_GATEWAY_NAMESPACE = "gateway-system";
    public static final String DEFAULT_GATEWAY_NAME = "platform-gateway";

    /**
     * TLS for generated routes: a secret that holds the certificate, or a cert-manager issuer that creates it.
     *
     * @param secretName    existing TLS secret (or the one cert-manager fills); default {@code <service>-tls} with an issuer
     * @param clusterIssuer cert-manager ClusterIssuer ({@code cert-manager.io/cluster-issuer})
     * @param issuer        cert-manager Issuer in the app's namespace ({@code cert-manager.io/issuer})
     */
    public record Tls(String secretName, String clusterIssuer, String issuer) {
    }

    /** The Gateway HTTPRoutes attach to; {@code sectionName} picks one listener. */
    public record Gateway(String namespace, String name, String sectionName) {
    }

    /**
     * The platform's own nginx.
     *
     * @param confDir    directory of the server blocks, included by the main configuration
     * @param binary     the nginx executable, {@code nginx} on the PATH by default
     * @param mainConfig the main configuration passed with {@code -c} to {@code nginx -t} and {@code -s reload}
     * @param listen     what the server blocks listen on: a port or {@code IPv4:port}, 80 by default
     * @param httpsListen where TLS server blocks listen (a port or {@code IPv4:port}); absent means no HTTPS
     * @param redirectToHttps whether the HTTP block of a host with a certificate redirects to HTTPS
     * @param certificateFile certificate (PEM, with chain) for hosts whose route names no TLS Secret, e.g. a wildcard
     * @param keyFile    the key of {@code certificateFile}
     * @param clusterIpFallback send traffic to the Service's cluster IP when it has no EndpointSlices (nginx inside
     *                   the cluster only); off by default
     * @param reloadInterval the sync reloads nginx at most once per this interval, 2s by default
     */
    public record Nginx(String confDir, String binary, String mainConfig, String listen, String httpsListen,
            Boolean redirectToHttps, String certificateFile, String keyFile, Boolean clusterIpFallback,
            String reloadInterval) {

        /** Plain HTTP, upstreams from EndpointSlices only. */
        public Nginx(String confDir, String binary, String mainConfig, String listen) {
            this(confDir, binary, mainConfig, listen, null, null, null, null, null, null);
        }

        /** The HTTPS listen value, if HTTPS is on. */
        @JsonIgnore
        public Optional<String> https() {
            return Optional.ofNullable(httpsListen);
        }

        @JsonIgnore
        public boolean redirects() {
            return Boolean.TRUE.equals(redirectToHttps);
        }

        @JsonIgnore
        public boolean fallsBackToClusterIp() {
            return Boolean.TRUE.equals(clusterIpFallback);
        }

        @JsonIgnore
        public Duration reloadEvery() {
            return Require.duration("domains.nginxReloadInterval", reloadInterval == null ? "2s" : reloadInterval);
        }
    }

    /** Every key left out (null): {@link #validated()} fills in the defaults. */
    public static ExposeSettings defaults() {
        return builder().build();
    }

    /** A builder with every key left out (null means the default, filled in by {@link #validated()}). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.suffix = suffix;
        b.template = template;
        b.route = route;
        b.ingressClassName = ingressClassName;
        b.tls = tls;
        b.gateway = gateway;
        b.claimNamespace = claimNamespace;
        b.onConflict = onConflict;
        b.admitTimeout = admitTimeout;
        b.nginx = nginx;
        b.managedNamespaces = managedNamespaces;
        return b;
    }

    /** Builds settings key by key; no positional construction at call sites. */
    public static final class Builder {
        private String suffix;
        private String template;
        private String route;
        private String ingressClassName;
        private Tls tls;
        private Gateway gateway;
        private String claimNamespace;
        private String onConflict;
        private String admitTimeout;
        private Nginx nginx;
        private java.util.List<String> managedNamespaces;

        private Builder() {
        }

        public Builder suffix(String suffix) {
            this.suffix = suffix;
            return this;
        }

        public Builder template(String template) {
            this.template = template;
            return this;
        }

        public Builder route(String route) {
            this.route = route;
            return this;
        }

        public Builder ingressClassName(String ingressClassName) {
            this.ingressClassName = ingressClassName;
            return this;
        }

        public Builder tls(Tls tls) {
            this.tls = tls;
            return this;
        }

        public Builder gateway(Gateway gateway) {
            this.gateway = gateway;
            return this;
        }

        public Builder claimNamespace(String claimNamespace) {
            this.claimNamespace = claimNamespace;
            return this;
        }

        public Builder onConflict(String onConflict) {
            this.onConflict = onConflict;
            return this;
        }

        public Builder admitTimeout(String admitTimeout) {
            this.admitTimeout = admitTimeout;
            return this;
        }

        public Builder nginx(Nginx nginx) {
            this.nginx = nginx;
            return this;
        }

        public Builder managedNamespaces(java.util.List<String> managedNamespaces) {
            this.managedNamespaces = managedNamespaces;
            return this;
        }

        public ExposeSettings build() {
            return new ExposeSettings(suffix, template, route, ingressClassName, tls, gateway, claimNamespace,
                    onConflict, admitTimeout, nginx, managedNamespaces);
        }
    }

    /** Namespaces whose host-less routes the sync gives a host (never null). */
    @JsonIgnore
    public java.util.List<String> generateIn() {
        return managedNamespaces == null ? java.util.List.of() : managedNamespaces;
    }

    /** The settings with defaults filled in; throws {@link InvalidInputException} naming the first bad value. */
    public ExposeSettings validated() {
        String s = checkSuffix("domains.suffix", blank(suffix) ? DEFAULT_SUFFIX : suffix);
        String t = DomainTemplate.parse("domains.template", template).pattern();
        String r = RouteKind.parse("domains.route", route == null || route.isBlank() ? "ingress" : route).id();
        String cls = Require.dnsSubdomain("domains.ingressClassName",
                blank(ingressClassName) ? DEFAULT_INGRESS_CLASS : ingressClassName.trim());
        Tls tl = null;
        if (tls != null && !(blank(tls.secretName()) && blank(tls.clusterIssuer()) && blank(tls.issuer()))) {
            if (!blank(tls.clusterIssuer()) && !blank(tls.issuer())) {
                throw new InvalidInputException("domains.tls", "takes clusterIssuer or issuer, not both");
            }
            tl = new Tls(
                    blank(tls.secretName()) ? null : Require.dnsSubdomain("domains.tls.secretName", tls.secretName().trim()),
                    blank(tls.clusterIssuer()) ? null : Require.dnsSubdomain("domains.tls.clusterIssuer", tls.clusterIssuer().trim()),
                    blank(tls.issuer()) ? null : Require.dnsSubdomain("domains.tls.issuer", tls.issuer().trim()));
        }
        Gateway g = gateway == null ? new Gateway(null, null, null) : gateway;
        g = new Gateway(
                Require.dnsLabel("domains.gateway.namespace", blank(g.namespace()) ? DEFAULT_GATEWAY_NAMESPACE : g.namespace().trim()),
                Require.dnsSubdomain("domains.gateway.name", blank(g.name()) ? DEFAULT_GATEWAY_NAME : g.name().trim()),
                blank(g.sectionName()) ? null : Require.dnsSubdomain("domains.gateway.sectionName", g.sectionName().trim()));
        String claims = Require.dnsLabel("domains.claimNamespace",
                blank(claimNamespace) ? DEFAULT_CLAIM_NAMESPACE : claimNamespace.trim());
        String conflict = ConflictPolicy.parse("domains.onConflict", blank(onConflict) ? "fail" : onConflict).id();
        String timeout = blank(admitTimeout) ? "2m" : admitTimeout.trim();
        Require.duration("domains.admitTimeout", timeout);
        Nginx n = nginx == null || blank(nginx.confDir()) ? null : NginxServerBlock.validatedSettings(nginx);
        java.util.List<String> managed = new java.util.ArrayList<>();
        for (String ns : managedNamespaces == null ? java.util.List.<String>of() : managedNamespaces) {
            managed.add(Require.dnsLabel("domains.managedNamespaces", ns == null ? "" : ns.trim()));
        }
        return new ExposeSettings(s, t, r, cls, tl, g, claims, conflict, timeout, n, java.util.List.copyOf(managed));
    }

    /** The suffix rule: a lowercase DNS name of at least two labels (trimmed and lowered first). */
    public static String checkSuffix(String field, String value) {
        String s = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (!DnsNames.isHost(s)) {
            throw new InvalidInputException(field, "must be a DNS name such as apps.example.com "
                    + "(labels of a-z, 0-9 and '-', at least two labels); got '" + Require.printable(s) + "'");
        }
        return s;
    }

    @JsonIgnore
    public DomainTemplate domainTemplate() {
        return DomainTemplate.parse("domains.template", template);
    }

    @JsonIgnore
    public RouteKind routeKind() {
        return RouteKind.parse("domains.route", route == null ? "ingress" : route);
    }

    @JsonIgnore
    public ConflictPolicy conflictPolicy() {
        return ConflictPolicy.parse("domains.onConflict", onConflict == null ? "fail" : onConflict);
    }

    @JsonIgnore
    public Duration admitTimeoutDuration() {
        return Require.duration("domains.admitTimeout", admitTimeout == null ? "2m" : admitTimeout);
    }

    @JsonIgnore
    public Optional<Nginx> nginxMode() {
        return Optional.ofNullable(nginx);
    }

    private static boolean blank(String v) {
        return v == null || v.isBlank();
    }
}
