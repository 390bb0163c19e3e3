package io.jenkins.plugins.kubeplatform.stickyip;

import io.jenkins.plugins.kubeplatform.common.JenkinsStepHost;
import io.jenkins.plugins.kubeplatform.common.StepHost;
import java.util.Map;

/** What {@link StickyIpDeployExecution} needs from Jenkins: the configured pools and the controller's ledger. */
interface StickyIpHost extends StepHost {

    Map<String, IpPool> pools();

    IpReservationLedger ledger();

    /** The real Jenkins. */
    StickyIpHost JENKINS = new Jenkins();

    /** Jenkins' global configuration and {@code JENKINS_HOME/kubeplatform/ip-ledger}. */
    final class Jenkins extends JenkinsStepHost implements StickyIpHost {
        @Override
        public Map<String, IpPool> pools() {
            return StickyIpConfiguration.get().validatedPools();
        }

        @Override
        public IpReservationLedger ledger() {
            return StickyIpLedgers.get();
        }
    }
}
