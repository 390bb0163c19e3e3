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
