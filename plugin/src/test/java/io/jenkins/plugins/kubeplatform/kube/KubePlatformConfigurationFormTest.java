package io.jenkins.plugins.kubeplatform.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.model.Descriptor.FormException;
import io.jenkins.plugins.kubeplatform.common.FormRequest;
import java.util.List;
import net.sf.json.JSONObject;
import org.junit.jupiter.api.Test;

/** Manage Jenkins › System › Kubernetes Platform Steps, submitted as a form. */
class KubePlatformConfigurationFormTest {

    static final class Saved extends KubePlatformConfiguration {
        int saves;

        Saved() {
            super((Void) null);
        }

        @Override
        public synchronized void save() {
            saves++;
        }
    }

    @Test
    void removesTheLastClusterWhenTheFormHasNoneLeft() throws FormException {
        Saved live = new Saved();
        live.setClusters(List.of(new ClusterConnectionConfig("sim")));
        live.setDefaultCluster("sim");
        live.saves = 0;

        live.configure(FormRequest.of(KubePlatformConfiguration.class, c -> c.setDefaultCluster("")), new JSONObject());

        assertThat(live.getClusters()).isEmpty();
        assertThat(live.saves).isEqualTo(1);
    }

    @Test
    void namesTheDefaultClusterWhenItIsNotConfigured() {
        Saved live = new Saved();
        live.setClusters(List.of(new ClusterConnectionConfig("sim")));
        live.saves = 0;

        assertThatThrownBy(() -> live.configure(FormRequest.of(KubePlatformConfiguration.class, c -> {
            c.setClusters(List.of(new ClusterConnectionConfig("prod")));
            c.setDefaultCluster("sim");
        }), new JSONObject())).isInstanceOfSatisfying(FormException.class,
                e -> assertThat(e.getFormField()).isEqualTo("defaultCluster"));

        assertThat(live.getClusters()).extracting(ClusterConnectionConfig::getName).containsExactly("sim");
        assertThat(live.saves).isZero();
    }

    @Test
    void namesTheClusterWhenTwoHaveTheSameName() {
        Saved live = new Saved();
        assertThatThrownBy(() -> live.configure(FormRequest.of(KubePlatformConfiguration.class,
                c -> c.setClusters(List.of(new ClusterConnectionConfig("a"), new ClusterConnectionConfig("a")))),
                new JSONObject())).isInstanceOfSatisfying(FormException.class,
                e -> assertThat(e.getFormField()).isEqualTo("clusters[1].name"));
        assertThat(live.getClusters()).isEmpty();
    }

    /** Global credentials of this "Jenkins"; team-a-token lives in folder team-a, which the root does not see. */
    private static final CredentialScope GLOBAL_ONLY = id -> id.equals("global-token");

    @Test
    void refusesAFolderScopedCredentialNamingTheClusterAndWhereToStoreIt() {
        Saved live = new Saved();
        ClusterConnectionConfig prod = new ClusterConnectionConfig("prod");
        prod.setCredentialsId("team-a-token");
        CredentialScope before = KubePlatformConfiguration.credentials;
        KubePlatformConfiguration.credentials = GLOBAL_ONLY;
        try {
            assertThatThrownBy(() -> live.configure(FormRequest.of(KubePlatformConfiguration.class,
                    c -> c.setClusters(List.of(prod))), new JSONObject())).isInstanceOfSatisfying(FormException.class,
                    e -> {
                        assertThat(e.getFormField()).isEqualTo("clusters[0].credentialsId");
                        assertThat(e.getMessage()).contains("'team-a-token'", "cluster 'prod'", "not a global credential",
                                "Global credentials");
                    });
        } finally {
            KubePlatformConfiguration.credentials = before;
        }
        assertThat(live.getClusters()).isEmpty();
        assertThat(live.saves).isZero();
    }

    @Test
    void acceptsAGlobalCredentialAndKeepsTheAllowedJobs() throws FormException {
        Saved live = new Saved();
        ClusterConnectionConfig prod = new ClusterConnectionConfig("prod");
        prod.setCredentialsId("global-token");
        prod.setAllowedJobs("team-a\nteam-b");
        CredentialScope before = KubePlatformConfiguration.credentials;
        KubePlatformConfiguration.credentials = GLOBAL_ONLY;
        try {
            live.configure(FormRequest.of(KubePlatformConfiguration.class, c -> c.setClusters(List.of(prod))),
                    new JSONObject());
        } finally {
            KubePlatformConfiguration.credentials = before;
        }
        assertThat(live.getClusters()).singleElement().satisfies(c -> {
            assertThat(c.getCredentialsId()).isEqualTo("global-token");
            assertThat(c.getAllowedJobs()).isEqualTo("team-a\nteam-b");
        });
    }

    @Test
    void namesTheServerUrlWhenItIsNotAUrl() {
        Saved live = new Saved();
        ClusterConnectionConfig bad = new ClusterConnectionConfig("prod");
        bad.setServerUrl("not a url");
        assertThatThrownBy(() -> live.configure(FormRequest.of(KubePlatformConfiguration.class,
                c -> c.setClusters(List.of(bad))), new JSONObject())).isInstanceOfSatisfying(FormException.class,
                e -> assertThat(e.getFormField()).isEqualTo("clusters[0].serverUrl"));
    }
}
