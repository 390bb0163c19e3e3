package io.jenkins.plugins.kubeplatform.stickyip;

import io.jenkins.plugins.kubeplatform.common.JenkinsStateDirectory;
import java.time.Clock;

/**
 * The controller's one ledger under {@code JENKINS_HOME/kubeplatform/ip-ledger}. One instance per controller keeps
 * the ledger in memory between builds; every call still re-reads what other processes appended.
 */
public final class StickyIpLedgers {

    private static IpReservationLedger ledger;

    private StickyIpLedgers() {
    }

    public static synchronized IpReservationLedger get() {
        if (ledger == null) {
            ledger = IpReservationLedger.open(JenkinsStateDirectory.path(), Clock.systemUTC());
        }
        return ledger;
    }
}
