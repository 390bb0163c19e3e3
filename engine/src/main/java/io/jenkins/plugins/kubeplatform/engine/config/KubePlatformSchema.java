package io.jenkins.plugins.kubeplatform.engine.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kubeplatform.engine.schema.SectionValues;
import io.jenkins.plugins.kubeplatform.engine.schema.Setting;
import io.jenkins.plugins.kubeplatform.engine.schema.SettingsSection;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code kubePlatform:} section declared once: the default cluster and the named cluster connections. The CLI
 * loader ({@link PlatformConfig#clusters()}), the Jenkins forms ({@code KubePlatformConfiguration},
 * {@code ClusterConnectionConfig}) and the table in docs/configuration.md are derived from these declarations.
 */
public final class KubePlatformSchema {

    public static final Setting<String> NAME = Setting.text("name", null,
            "How steps and other sections refer to the cluster (`cluster: 'prod'` in a step, `cluster: prod` in a "
                    + "site)").required();
    public static final Setting<String> SERVER_URL = Setting.text("serverUrl", null,
            "API server URL; may be left out only with a kubeconfig (credential or file), which then provides it");
    public static final Setting<String> NAMESPACE = Setting.dnsLabel("namespace", "default", 63,
            "Default namespace of steps and commands that do not name one");
    public static final Setting<String> CREDENTIALS_ID = Setting.text("credentialsId", "",
            "Credential: Secret text (token), Secret file (kubeconfig), Username with password or Certificate")
            .only(Setting.Scope.JENKINS);
    public static final Setting<String> CONTEXT = Setting.text("context", "",
            "With a kubeconfig credential: the context to use; empty: its `current-context`")
            .only(Setting.Scope.JENKINS);
    public static final Setting<String> CA_CERTIFICATE = Setting.text("caCertificate", null,
            "PEM of the API server's CA, when it is not in the JVM trust store");
    public static final Setting<Boolean> SKIP_TLS_VERIFY = Setting.flag("skipTlsVerify", false,
            "Do not verify the API server's certificate: for test clusters only");
    public static final Setting<String> TOKEN_FILE = Setting.text("tokenFile", null,
            "File holding the bearer token, relative to the configuration file").only(Setting.Scope.CLI);
    public static final Setting<String> KUBECONFIG_FILE = Setting.text("kubeconfigFile", null,
            "kubeconfig file, relative to the configuration file").only(Setting.Scope.CLI);
    public static final Setting<String> ALLOWED_JOBS = Setting.text("allowedJobs", "",
            "Folders and jobs that may use the cluster, one per line or comma-separated (full names or `*`/`**` "
                    + "patterns); empty: every job").only(Setting.Scope.JENKINS);

    /** The items of {@code kubePlatform.clusters}. */
    public static final SettingsSection CLUSTER = new SettingsSection("kubePlatform.clusters[]", List.of(NAME,
            SERVER_URL, NAMESPACE, CREDENTIALS_ID, CONTEXT, CA_CERTIFICATE, SKIP_TLS_VERIFY, TOKEN_FILE,
            KUBECONFIG_FILE, ALLOWED_JOBS));

    public static final Setting<String> DEFAULT_CLUSTER = Setting.text("defaultCluster", "",
            "The cluster of steps and commands that name none; empty: the first cluster");
    public static final Setting<List<SectionValues>> CLUSTERS = Setting.items("clusters", CLUSTER,
            "Named cluster connections");

    /** The {@code kubePlatform:} section. */
    public static final SettingsSection SECTION = new SettingsSection("kubePlatform", List.of(DEFAULT_CLUSTER,
            CLUSTERS));

    private KubePlatformSchema() {
    }

    /** The name of the default cluster of a {@code kubePlatform:} mapping; empty when none is named. */
    public static String defaultCluster(JsonNode section) {
        return SECTION.read(SECTION.path(), section).get(DEFAULT_CLUSTER);
    }

    /** The clusters of a {@code kubePlatform:} mapping (missing or null: none); a bad value names its key. */
    public static List<ClusterSettings> clusters(JsonNode section) {
        SectionValues v = SECTION.read(SECTION.path(), section);
        List<ClusterSettings> out = new ArrayList<>();
        for (SectionValues c : v.given(CLUSTERS).orElse(List.of())) {
            out.add(ClusterSettings.builder()
                    .name(c.get(NAME))
                    .serverUrl(c.given(SERVER_URL).orElse(null))
                    .namespace(c.get(NAMESPACE))
                    .credentialsId(c.given(CREDENTIALS_ID).orElse(null))
                    .tokenFile(c.given(TOKEN_FILE).orElse(null))
                    .kubeconfigFile(c.given(KUBECONFIG_FILE).orElse(null))
                    .caCertificate(c.given(CA_CERTIFICATE).orElse(null))
                    .skipTlsVerify(c.get(SKIP_TLS_VERIFY))
                    .build());
        }
        return List.copyOf(out);
    }
}
