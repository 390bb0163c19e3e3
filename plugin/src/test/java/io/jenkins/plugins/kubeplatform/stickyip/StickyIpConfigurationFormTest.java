package io.jenkins.plugins.kubeplatform.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.model.Descriptor.FormException;
import io.jenkins.plugins.kubeplatform.common.FormRequest;
import java.util.List;
import net.sf.json.JSONObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Manage Jenkins › System › Sticky IP pools, submitted as a form. */
class StickyIpConfigurationFormTest {

    static final class Saved extends StickyIpConfiguration {
        int saves;

        Saved() {
            super((Void) null);
        }

        @Override
        public synchronized void save() {
            saves++;
        }
    }

    Saved live;

    @BeforeEach
    void configured() {
        live = new Saved();
        live.setPools(List.of(new PoolConfig("default", "10.42.200.0/24"), new PoolConfig("gpu", "10.42.201.0/24")));
        live.setCluster("prod");
        live.saves = 0;
    }

    @Test
    void emptiesThePoolsAndSavesOnceWhenTheFormHasNoPoolLeft() throws FormException {
        live.configure(FormRequest.of(StickyIpConfiguration.class, c -> c.setCluster("prod")), new JSONObject());

        assertThat(live.getPools()).isEmpty();
        assertThat(live.getCluster()).isEqualTo("prod");
        assertThat(live.saves).isEqualTo(1);
    }

    @Test
    void replacesTheListWhenTheFormKeepsOnePool() throws FormException {
        live.configure(FormRequest.of(StickyIpConfiguration.class, c -> {
            c.setPools(List.of(new PoolConfig("gpu", "10.42.201.0/24")));
            c.setCluster("");
        }), new JSONObject());

        assertThat(live.getPools()).extracting(PoolConfig::getName).containsExactly("gpu");
        assertThat(live.getCluster()).isEmpty();
        assertThat(live.saves).isEqualTo(1);
    }

    @Test
    void changesNothingAndNamesTheFieldWhenAPoolIsInvalid() {
        assertThatThrownBy(() -> live.configure(FormRequest.of(StickyIpConfiguration.class, c -> {
            c.setPools(List.of(new PoolConfig("default", "10.42.200.0/33")));
            c.setCluster("other");
        }), new JSONObject())).isInstanceOfSatisfying(FormException.class, e -> {
            assertThat(e.getFormField()).contains("ranges");
            assertThat(e.getMessage()).contains("10.42.200.0/33");
        });

        assertThat(live.getPools()).extracting(PoolConfig::getName).containsExactly("default", "gpu");
        assertThat(live.getCluster()).isEqualTo("prod");
        assertThat(live.saves).isZero();
    }
}
