package io.jenkins.plugins.kubeplatform.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.common.JenkinsXStream;
import io.jenkins.plugins.kubeplatform.engine.stickyip.Cni;
import io.jenkins.plugins.kubeplatform.engine.stickyip.CniCheck;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerSettings;
import io.jenkins.plugins.kubeplatform.engine.stickyip.NodePinning;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.AllocationOrder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A {@code StickyIpConfiguration.xml} saved by a version before the ledger store, the CNI check and the folder
 * restrictions existed still loads (XStream, as Jenkins reads it after an upgrade): the missing fields take the
 * declared defaults. The XML declaration Jenkins writes (version 1.1) is left out: the test's parser reads only 1.0.
 */
class StickyIpConfigurationXmlTest {

    static final String OLDER_XML = """
            <io.jenkins.plugins.kubeplatform.stickyip.StickyIpConfiguration>
              <pools>
                <io.jenkins.plugins.kubeplatform.stickyip.PoolConfig>
                  <name>web</name>
                  <ranges>10.42.200.0/28
            10.42.201.5</ranges>
                  <exclude>10.42.200.1</exclude>
                  <cni>kube-ovn</cni>
                  <allocation>random</allocation>
                  <keepNamespaces>keep</keepNamespaces>
                  <reclaimAfter>12h</reclaimAfter>
                  <nodePinning>required</nodePinning>
                  <reallocateWhenNodeLost>true</reallocateWhenNodeLost>
                </io.jenkins.plugins.kubeplatform.stickyip.PoolConfig>
              </pools>
              <cluster>prod</cluster>
            </io.jenkins.plugins.kubeplatform.stickyip.StickyIpConfiguration>
            """;

    @Test
    void loadsThePoolsAndTheFileLedgerWhenTheXmlWasSavedBeforeTheNewerFields() {
        StickyIpConfiguration loaded = (StickyIpConfiguration) JenkinsXStream.create().fromXML(OLDER_XML.strip());

        Map<String, IpPool> pools = loaded.validatedPools();
        IpPool web = pools.get("web");
        // a /28 less network and broadcast (14) less the excluded .1, plus the single 10.42.201.5
        assertThat(web.addresses().size()).isEqualTo(14);
        assertThat(web.cni()).isEqualTo(Cni.KUBE_OVN);
        assertThat(web.order()).isEqualTo(AllocationOrder.RANDOM);
        assertThat(web.keepNamespaces()).containsExactly("keep");
        assertThat(web.reclaimAfter()).isEqualTo(Duration.ofHours(12));
        assertThat(web.pinning()).isEqualTo(NodePinning.REQUIRED);
        assertThat(web.reallocateWhenNodeLost()).isTrue();
        assertThat(web.cniCheck()).isEqualTo(CniCheck.ENFORCE);
        assertThat(loaded.getPools().get(0).getAllowedJobs()).isEmpty();
        assertThat(loaded.ledgerSettings()).extracting(LedgerSettings::store, LedgerSettings::namespace,
                LedgerSettings::cluster).containsExactly(LedgerSettings.Store.FILE, "kube-platform", Optional.of("prod"));
    }
}
