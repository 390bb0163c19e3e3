package io.jenkins.plugins.kubeplatform.expose;

import io.jenkins.plugins.kubeplatform.common.StepHost;
import io.jenkins.plugins.kubeplatform.engine.expose.DomainRegistry;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeSettings;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore;
import io.jenkins.plugins.kubeplatform.kube.JenkinsStepHost;

/** What {@link ExposeAppStepExecution} needs from Jenkins: the domain settings and the domain registry. */
interface ExposeHost extends StepHost {

    ExposeSettings settings();

    StateStore<DomainRegistry> registry();

    /** The configured domain suffix's Allowed folders and jobs. */
    String suffixAllowedJobs();

    /** The real Jenkins. */
    ExposeHost JENKINS = new Jenkins();

    /** The global domain settings and {@code JENKINS_HOME/kubeplatform}. */
    final class Jenkins extends JenkinsStepHost implements ExposeHost {
        @Override
        public ExposeSettings settings() {
            return DomainSettingsConfiguration.get().toSettings();
        }

        @Override
        public String suffixAllowedJobs() {
            return DomainSettingsConfiguration.get().getSuffixAllowedJobs();
        }

        @Override
        public StateStore<DomainRegistry> registry() {
            return DomainRegistries.get();
        }
    }
}
