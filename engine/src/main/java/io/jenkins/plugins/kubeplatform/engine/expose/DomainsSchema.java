package io.jenkins.plugins.kubeplatform.engine.expose;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import io.jenkins.plugins.kubeplatform.engine.schema.KeyHints;
import io.jenkins.plugins.kubeplatform.engine.schema.SectionValues;
import io.jenkins.plugins.kubeplatform.engine.schema.Setting;
import io.jenkins.plugins.kubeplatform.engine.schema.SettingsSection;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code domains:} section declared once: every key with its type, rule, default and meaning. The CLI loader,
 * the Jenkins form ({@code DomainSettingsConfiguration}), the engine's {@link ExposeSettings} and the table in
 * docs/configuration.md are derived from these declarations; {@link ExposeSettings#validated()} applies the same
 * rules (and the rules between keys) to settings however they were built.
 *
 * <p>Files written for earlier versions may still carry nested {@code gateway:}, {@code tls:} and {@code nginx:}
 * blocks; {@link #settings} reads them, undocumented here.
 */
public final class DomainsSchema {

    public static final Setting<String> SUFFIX = Setting.of("suffix", "DNS name", ExposeSettings.DEFAULT_SUFFIX,
            "DNS suffix of the generated hosts; wildcard DNS points `*.suffix` (or `*.namespace.suffix`) at the "
                    + "entry point", ExposeSettings::checkSuffix);
    public static final Setting<String> TEMPLATE = Setting.of("template", "host template", DomainTemplate.DEFAULT,
            "Host template with `{app}`, `{namespace}` and `{suffix}`",
            (path, text) -> DomainTemplate.parse(path, text).pattern());
    public static final Setting<String> ROUTE = Setting.of("route", "`ingress` or `httproute` or `none`",
            RouteKind.INGRESS.id(), "Route kind the step creates; `none` only with nginx mode",
            (path, text) -> RouteKind.parse(path, text).id());
    public static final Setting<String> INGRESS_CLASS_NAME = dnsSubdomain("ingressClassName",
            ExposeSettings.DEFAULT_INGRESS_CLASS, "Ingress class of generated Ingresses");
    public static final Setting<String> TLS_SECRET_NAME = dnsSubdomain("tlsSecretName", null,
            "TLS Secret of the routes (with an issuer: the Secret cert-manager fills, default `<service>-tls`); "
                    + "none of the three TLS keys: plain HTTP");
    public static final Setting<String> CLUSTER_ISSUER = dnsSubdomain("clusterIssuer", null,
            "cert-manager ClusterIssuer that creates the certificate; not with `issuer`");
    public static final Setting<String> ISSUER = dnsSubdomain("issuer", null,
            "cert-manager Issuer in the app's namespace that creates the certificate; not with `clusterIssuer`");
    public static final Setting<String> GATEWAY_NAMESPACE = Setting.dnsLabel("gatewayNamespace",
            ExposeSettings.DEFAULT_GATEWAY_NAMESPACE, 63, "Namespace of the Gateway HTTPRoutes attach to");
    public static final Setting<String> GATEWAY_NAME = dnsSubdomain("gatewayName",
            ExposeSettings.DEFAULT_GATEWAY_NAME, "Name of the Gateway HTTPRoutes attach to");
    public static final Setting<String> GATEWAY_SECTION_NAME = dnsSubdomain("gatewaySectionName", null,
            "The Gateway listener HTTPRoutes attach to; none: every listener");
    public static final Setting<String> CLAIM_NAMESPACE = Setting.dnsLabel("claimNamespace",
            ExposeSettings.DEFAULT_CLAIM_NAMESPACE, 63, "Namespace of the host claim objects (one per host)");
    public static final Setting<String> ON_CONFLICT = Setting.of("onConflict", "`fail` or `next-free`",
            ConflictPolicy.FAIL.id(), "When another app holds the host: fail, or take the next free variant",
            (path, text) -> ConflictPolicy.parse(path, text).id());
    public static final Setting<String> ADMIT_TIMEOUT = Setting.of("admitTimeout", "duration", "2m",
            "How long to wait for the ingress controller or Gateway to admit the route", (path, text) -> {
                Require.duration(path, text.trim());
                return text.trim();
            });
    public static final Setting<String> NGINX_CONF_DIR = Setting.of("nginxConfDir", "absolute path", null,
            "nginx mode: directory of the server blocks, included by the main configuration; none: nginx mode off",
            (path, text) -> NginxServerBlock.checkPath(path, text).toString());
    public static final Setting<String> NGINX_BINARY = Setting.of("nginxBinary", "program name or path", "nginx",
            "nginx mode: the nginx executable", NginxServerBlock::checkBinary);
    public static final Setting<String> NGINX_MAIN_CONFIG = Setting.of("nginxMainConfig", "absolute path", null,
            "nginx mode: main configuration passed with `-c` to `nginx -t` and `nginx -s reload`",
            (path, text) -> NginxServerBlock.checkPath(path, text).toString());
    public static final Setting<String> NGINX_LISTEN = Setting.of("nginxListen", "port or IPv4:port", "80",
            "nginx mode: what the server blocks listen on", (path, text) -> NginxServerBlock.checkListen(path,
                    text.trim()));
    public static final Setting<String> NGINX_HTTPS_LISTEN = Setting.of("nginxHttpsListen", "port or IPv4:port", null,
            "nginx mode: what the TLS server blocks of hosts with a certificate listen on; none: no HTTPS",
            (path, text) -> NginxServerBlock.checkListen(path, text.trim()));
    public static final Setting<Boolean> NGINX_REDIRECT_TO_HTTPS = Setting.flag("nginxRedirectToHttps", false,
            "nginx mode: the HTTP block of a host with a certificate answers `301` to `https://`");
    public static final Setting<String> NGINX_CERTIFICATE_FILE = Setting.of("nginxCertificateFile", "absolute path",
            null, "nginx mode: certificate for hosts without a TLS Secret (a wildcard certificate); with "
                    + "`nginxKeyFile`", (path, text) -> NginxServerBlock.checkConfigPath(path, text.trim()));
    public static final Setting<String> NGINX_KEY_FILE = Setting.of("nginxKeyFile", "absolute path", null,
            "nginx mode: the key of `nginxCertificateFile`",
            (path, text) -> NginxServerBlock.checkConfigPath(path, text.trim()));
    public static final Setting<Boolean> NGINX_CLUSTER_IP_FALLBACK = Setting.flag("nginxClusterIpFallback", false,
            "nginx mode: upstream to the Service's cluster IP when it has no EndpointSlice (an nginx inside the "
                    + "cluster network only)");
    public static final Setting<String> NGINX_RELOAD_INTERVAL = Setting.of("nginxReloadInterval", "duration", "2s",
            "nginx mode: the sync reloads nginx at most once per interval", (path, text) -> {
                Require.duration(path, text.trim());
                return text.trim();
            });
    public static final Setting<List<String>> MANAGED_NAMESPACES = Setting.names("managedNamespaces", "DNS labels",
            "", "Namespaces whose host-less Ingresses and HTTPRoutes the background sync gives a host",
            (path, text) -> Require.dnsLabel(path, text.trim()));
    public static final Setting<Boolean> SYNC_ENABLED = Setting.flag("syncEnabled", false,
            "Run the background sync every 5 minutes").only(Setting.Scope.JENKINS);
    public static final Setting<String> SYNC_CLUSTER = Setting.text("syncCluster", "",
            "Cluster the background sync watches; empty: the default cluster").only(Setting.Scope.JENKINS);
    public static final Setting<String> SUFFIX_ALLOWED_JOBS = Setting.text("suffixAllowedJobs", "",
            "Folders and jobs that may claim hosts under the suffix, one per line; empty: every job")
            .only(Setting.Scope.JENKINS);

    /** The nested blocks of files written for earlier versions, still read by {@link #settings}. */
    static final Set<String> OLD_BLOCKS = Set.of("gateway", "tls", "nginx");

    /** The {@code domains:} section. */
    public static final SettingsSection SECTION = new SettingsSection("domains", List.of(SUFFIX, TEMPLATE, ROUTE,
            INGRESS_CLASS_NAME, TLS_SECRET_NAME, CLUSTER_ISSUER, ISSUER, GATEWAY_NAMESPACE, GATEWAY_NAME,
            GATEWAY_SECTION_NAME, CLAIM_NAMESPACE, ON_CONFLICT, ADMIT_TIMEOUT, NGINX_CONF_DIR, NGINX_BINARY,
            NGINX_MAIN_CONFIG, NGINX_LISTEN, NGINX_HTTPS_LISTEN, NGINX_REDIRECT_TO_HTTPS, NGINX_CERTIFICATE_FILE,
            NGINX_KEY_FILE, NGINX_CLUSTER_IP_FALLBACK, NGINX_RELOAD_INTERVAL, MANAGED_NAMESPACES, SYNC_ENABLED,
            SYNC_CLUSTER, SUFFIX_ALLOWED_JOBS),
            OLD_BLOCKS);

    private DomainsSchema() {
    }

    /**
     * The settings of a {@code domains:} mapping (missing, null or empty: the defaults); a bad value or unknown key is
     * an input error naming {@code domains.<key>}. The rules between keys are checked by
     * {@link ExposeSettings#validated()}.
     */
    public static ExposeSettings settings(JsonNode section) {
        JsonNode flat = section;
        JsonNode gatewayBlock = null;
        JsonNode tlsBlock = null;
        JsonNode nginxBlock = null;
        if (section instanceof ObjectNode o) {
            ObjectNode copy = o.deepCopy();
            gatewayBlock = copy.remove("gateway");
            tlsBlock = copy.remove("tls");
            nginxBlock = copy.remove("nginx");
            flat = copy;
        }
        SectionValues v = SECTION.read(SECTION.path(), flat);
        ExposeSettings.Gateway gateway = oldBlock(v, gatewayBlock, "gateway", ExposeSettings.Gateway.class,
                GATEWAY_NAMESPACE, GATEWAY_NAME, GATEWAY_SECTION_NAME).orElseGet(() -> new ExposeSettings.Gateway(
                v.get(GATEWAY_NAMESPACE), v.get(GATEWAY_NAME), v.given(GATEWAY_SECTION_NAME).orElse(null)));
        ExposeSettings.Tls tls = oldBlock(v, tlsBlock, "tls", ExposeSettings.Tls.class, TLS_SECRET_NAME,
                CLUSTER_ISSUER, ISSUER).orElseGet(() -> new ExposeSettings.Tls(v.given(TLS_SECRET_NAME).orElse(null),
                v.given(CLUSTER_ISSUER).orElse(null), v.given(ISSUER).orElse(null)));
        ExposeSettings.Nginx nginx = oldBlock(v, nginxBlock, "nginx", ExposeSettings.Nginx.class, NGINX_CONF_DIR,
                NGINX_BINARY, NGINX_MAIN_CONFIG, NGINX_LISTEN, NGINX_HTTPS_LISTEN, NGINX_REDIRECT_TO_HTTPS,
                NGINX_CERTIFICATE_FILE, NGINX_KEY_FILE, NGINX_CLUSTER_IP_FALLBACK, NGINX_RELOAD_INTERVAL)
                .orElseGet(() -> v.given(NGINX_CONF_DIR).map(dir -> nginx(v, dir)).orElse(null));
        return ExposeSettings.builder()
                .suffix(v.get(SUFFIX))
                .template(v.get(TEMPLATE))
                .route(v.get(ROUTE))
                .ingressClassName(v.get(INGRESS_CLASS_NAME))
                .tls(tls)
                .gateway(gateway)
                .claimNamespace(v.get(CLAIM_NAMESPACE))
                .onConflict(v.get(ON_CONFLICT))
                .admitTimeout(v.get(ADMIT_TIMEOUT))
                .nginx(nginx)
                .managedNamespaces(v.get(MANAGED_NAMESPACES))
                .build();
    }

    /** Nginx mode from the flat keys. */
    private static ExposeSettings.Nginx nginx(SectionValues v, String confDir) {
        return new ExposeSettings.Nginx(confDir, v.get(NGINX_BINARY), v.given(NGINX_MAIN_CONFIG).orElse(null),
                v.get(NGINX_LISTEN), v.given(NGINX_HTTPS_LISTEN).orElse(null), v.get(NGINX_REDIRECT_TO_HTTPS),
                v.given(NGINX_CERTIFICATE_FILE).orElse(null), v.given(NGINX_KEY_FILE).orElse(null),
                v.get(NGINX_CLUSTER_IP_FALLBACK), v.get(NGINX_RELOAD_INTERVAL));
    }

    /** An old nested block, bound strictly; given together with the flat keys that replace it, it is refused. */
    private static <T> Optional<T> oldBlock(SectionValues v, JsonNode block, String name, Class<T> type,
                                            Setting<?>... flatKeys) {
        if (block == null || block.isNull()) {
            return Optional.empty();
        }
        for (Setting<?> key : flatKeys) {
            if (v.given(key).isPresent()) {
                throw new InvalidInputException("domains." + name, "is given twice: as '" + key.name()
                        + "' and as the block '" + name + ":'; write the flat keys only");
            }
        }
        if (!block.isObject()) {
            throw new InvalidInputException("domains." + name, "must be a mapping of keys to values");
        }
        try {
            return Optional.ofNullable(Json.mapper().readerFor(type)
                    .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(block));
        } catch (UnrecognizedPropertyException e) {
            List<String> known = e.getKnownPropertyIds() == null ? List.of()
                    : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            throw new InvalidInputException("domains." + name + "." + e.getPropertyName(), "is not a key of the block '"
                    + name + ":'" + KeyHints.didYouMean(e.getPropertyName(), known) + "; its keys are "
                    + String.join(", ", known));
        } catch (IOException e) {
            throw new InvalidInputException("domains." + name, "does not match the expected structure: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static Setting<String> dnsSubdomain(String name, String defaultText, String doc) {
        return Setting.of(name, "DNS subdomain", defaultText, doc, (path, text) -> Require.dnsSubdomain(path,
                text.trim()));
    }
}
