package io.jenkins.plugins.kubeplatform.stickyip;

import io.jenkins.plugins.kubeplatform.common.StepHost;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger;
import io.jenkins.plugins.kubeplatform.kube.JenkinsStepHost;
import java.util.Map;

/** What {@link StickyIpDeployExecution} needs from Jenkins: the configured pools and the controller's ledger. */
interface StickyIpHost extends StepHost {

    Map<String, IpPool> pools();

    IpReservationLedger ledger();

    /** The pool's Allowed folders and jobs; empty for a pool not configured here (the deploy then names it). */
    String poolAllowedJobs(String pool);

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

        @Override
        public String poolAllowedJobs(String pool) {
            return StickyIpConfiguration.get().getPools().stream().filter(p -> p.getName().equals(pool)).findFirst()
                    .map(PoolConfig::getAllowedJobs).orElse("");
        }
    }
}
