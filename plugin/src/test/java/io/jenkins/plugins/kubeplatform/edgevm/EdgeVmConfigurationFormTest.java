package io.jenkins.plugins.kubeplatform.edgevm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.model.Descriptor.FormException;
import io.jenkins.plugins.kubeplatform.common.FormRequest;
import java.util.List;
import net.sf.json.JSONObject;
import org.junit.jupiter.api.Test;

/** Manage Jenkins › System › Edge VMs, submitted as a form. */
class EdgeVmConfigurationFormTest {

    static final class Saved extends EdgeVmConfiguration {
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
    void deletesTheLastQuotaAndSavesOnceWhenTheFormHasNoneLeft() throws FormException {
        Saved live = new Saved();
        live.setQuotas(List.of(new TenantQuotaConfig("demo", 8, "16Gi", 4)));
        live.saves = 0;

        live.configure(FormRequest.of(EdgeVmConfiguration.class, c -> c.setStartTimeout("20m")), new JSONObject());

        assertThat(live.getQuotas()).isEmpty();
        assertThat(live.getStartTimeout()).isEqualTo("20m");
        assertThat(live.saves).isEqualTo(1);
    }

    @Test
    void keepsEverythingAndNamesTheFieldWhenATimeoutIsNotADuration() {
        Saved live = new Saved();
        live.setQuotas(List.of(new TenantQuotaConfig("demo", 8, "16Gi", 4)));
        live.saves = 0;

        assertThatThrownBy(() -> live.configure(FormRequest.of(EdgeVmConfiguration.class,
                c -> c.setJoinTimeout("soon")), new JSONObject()))
                .isInstanceOfSatisfying(FormException.class, e -> assertThat(e.getFormField()).contains("joinTimeout"));

        assertThat(live.getQuotas()).hasSize(1);
        assertThat(live.getJoinTimeout()).isEqualTo("5m");
        assertThat(live.saves).isZero();
    }
}
