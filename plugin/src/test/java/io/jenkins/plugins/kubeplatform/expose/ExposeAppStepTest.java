package io.jenkins.plugins.kubeplatform.expose;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Run;
import hudson.model.TaskListener;
import org.junit.jupiter.api.Test;

class ExposeAppStepTest {

    @Test
    void isCalledExposeAppAndNeedsTheRunAndItsLog() {
        ExposeAppStep.DescriptorImpl descriptor = new ExposeAppStep.DescriptorImpl();

        assertThat(descriptor.getFunctionName()).isEqualTo("exposeApp");
        assertThat(java.util.Set.<Class<?>>copyOf(descriptor.getRequiredContext())).containsExactlyInAnyOrder(Run.class, TaskListener.class);
        assertThat(ExposeAppStep.DescriptorImpl.class.getAnnotation(org.jenkinsci.Symbol.class).value())
                .containsExactly("exposeApp");
    }

    @Test
    void keepsOptionalParametersEmptyRatherThanNull() {
        ExposeAppStep step = new ExposeAppStep("挖财", 8080);
        step.setHost(null);
        step.setNamespace(null);

        assertThat(step.getHost()).isEmpty();
        assertThat(step.getNamespace()).isEmpty();
        assertThat(step.getApp()).isEqualTo("挖财");
        assertThat(step.getPort()).isEqualTo(8080);
    }

    @Test
    void shipsAFormAndHelpForTheStep() {
        String base = "/io/jenkins/plugins/kubeplatform/expose/ExposeAppStep/";
        for (String file : new String[] {"config.jelly", "help.html", "help-app.html", "help-port.html",
                "help-host.html", "help-onConflict.html", "help-route.html", "help-upstream.html", "help-verify.html"}) {
            assertThat(ExposeAppStep.class.getResource(base + file)).as(file).isNotNull();
        }
        assertThat(DomainSettingsConfiguration.class.getResource(
                "/io/jenkins/plugins/kubeplatform/expose/DomainSettingsConfiguration/config.jelly")).isNotNull();
        assertThat(DomainRegistryLink.class.getResource(
                "/io/jenkins/plugins/kubeplatform/expose/DomainRegistryLink/index.jelly")).isNotNull();
    }
}
