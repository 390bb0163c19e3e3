package io.jenkins.plugins.kubeplatform.cli.expose;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.engine.expose.DomainsSchema;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeSettings;
import picocli.CommandLine.Option;

/** Overrides of the {@code domains} section of --config, shared by expose and expose-sync. */
public final class DomainOptions {

    @Option(names = "--suffix", paramLabel = "DOMAIN", description = "Domain suffix (domains.suffix).")
    String suffix;

    @Option(names = "--template", paramLabel = "TEMPLATE",
            description = "Host template with {app}, {namespace}, {suffix} (domains.template).")
    String template;

    @Option(names = "--ingress-class", paramLabel = "CLASS", description = "Ingress class (domains.ingressClassName).")
    String ingressClass;

    @Option(names = "--nginx-conf-dir", paramLabel = "DIR",
            description = "nginx mode: directory of the server blocks (domains.nginxConfDir).")
    String nginxConfDir;

    @Option(names = "--nginx-bin", paramLabel = "PATH", description = "nginx mode: the nginx executable.")
    String nginxBin;

    @Option(names = "--nginx-config", paramLabel = "FILE",
            description = "nginx mode: main configuration passed with -c to nginx -t and nginx -s reload.")
    String nginxConfig;

    @Option(names = "--nginx-listen", paramLabel = "PORT|IP:PORT", description = "nginx mode: listen value of the blocks.")
    String nginxListen;

    @Option(names = "--admit-timeout", paramLabel = "DURATION", description = "How long to wait for admission (2m).")
    String admitTimeout;

    /** The configured settings with these overrides applied (validated by the engine). */
    ExposeSettings settings(CliContext context) {
        ExposeSettings s = DomainsSchema.settings(context.config().raw("domains"));
        ExposeSettings.Nginx n = s.nginx();
        if (nginxConfDir != null || nginxBin != null || nginxConfig != null || nginxListen != null) {
            n = new ExposeSettings.Nginx(
                    pick(nginxConfDir, n == null ? null : n.confDir()),
                    pick(nginxBin, n == null ? null : n.binary()),
                    pick(nginxConfig, n == null ? null : n.mainConfig()),
                    pick(nginxListen, n == null ? null : n.listen()),
                    n == null ? null : n.httpsListen(), n == null ? null : n.redirectToHttps(),
                    n == null ? null : n.certificateFile(), n == null ? null : n.keyFile(),
                    n == null ? null : n.clusterIpFallback(), n == null ? null : n.reloadInterval());
        }
        return ExposeSettings.builder().suffix(pick(suffix, s.suffix())).template(pick(template, s.template()))
                .route(s.route()).ingressClassName(pick(ingressClass, s.ingressClassName())).tls(s.tls())
                .gateway(s.gateway()).claimNamespace(s.claimNamespace()).onConflict(s.onConflict())
                .admitTimeout(pick(admitTimeout, s.admitTimeout())).nginx(n).managedNamespaces(s.managedNamespaces())
                .build();
    }

    private static String pick(String override, String configured) {
        return override != null ? override : configured;
    }
}
