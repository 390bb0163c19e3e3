package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.sections.ConfigSections;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.AllocationOrder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code stickyIp} section as the CLI reads it: declared keys, rules, defaults and the older file shapes. */
class StickyIpSchemaTest {

    @Test
    void readsAFileWrittenBeforeTheSchemaLikeTheSameSectionWrittenNow() {
        // an older CLI file: top-level pools with YAML lists; the same pool in today's stickyIp shape with text lists
        PlatformConfig older = PlatformConfig.parse("old.yaml", """
                pools:
                  - name: web
                    ranges: [10.42.200.0/28, 10.42.201.5]
                    exclude: [10.42.200.1]
                    keepNamespaces: [keep, staging]
                    cni: kube-ovn
                    reclaimAfter: 12h
                """);
        PlatformConfig now = PlatformConfig.parse("new.yaml", """
                stickyIp:
                  pools:
                    - {name: web, ranges: "10.42.200.0/28, 10.42.201.5", exclude: "10.42.200.1",
                       keepNamespaces: "keep\\nstaging", cni: kube-ovn, reclaimAfter: 12h}
                """);

        Map<String, IpPool> fromOlder = StickyIpConfig.pools(older);
        assertThat(fromOlder).usingRecursiveComparison().isEqualTo(StickyIpConfig.pools(now));
        IpPool web = fromOlder.get("web");
        // a /28 less network and broadcast (14) less the excluded .1, plus the single 10.42.201.5
        assertThat(web.addresses().size()).isEqualTo(14);
        assertThat(web.cni()).isEqualTo(Cni.KUBE_OVN);
        assertThat(web.keepNamespaces()).containsExactlyInAnyOrder("keep", "staging");
        assertThat(web.reclaimAfter()).isEqualTo(Duration.ofHours(12));
        assertThat(LedgerSettings.of(older)).extracting(LedgerSettings::store, LedgerSettings::namespace,
                LedgerSettings::cluster).containsExactly(LedgerSettings.Store.FILE, "kube-platform", Optional.empty());
    }

    @Test
    void givesThePoolTheDocumentedDefaultsWhenOnlyNameAndRangesAreGiven() {
        IpPool pool = StickyIpConfig.pools(PlatformConfig.parse("f.yaml",
                "stickyIp: {pools: [{name: p, ranges: 10.0.0.0/30}]}\n")).get("p");

        assertThat(pool.cni()).isEqualTo(Cni.CALICO);
        assertThat(pool.order()).isEqualTo(AllocationOrder.LOWEST);
        assertThat(pool.reclaimAfter()).isEqualTo(Duration.ofDays(7));
        assertThat(pool.pinning()).isEqualTo(NodePinning.PREFERRED);
        assertThat(pool.cniCheck()).isEqualTo(CniCheck.ENFORCE);
        assertThat(pool.reallocateWhenNodeLost()).isFalse();
        assertThat(pool.keepNamespaces()).isEmpty();
        assertThat(pool.addresses().size()).isEqualTo(2);
    }

    @Test
    void givesTheSamePoolWhenBuiltWithTheBuilderOrReadFromAnOlderFileWithoutOptionalKeys() {
        IpPool built = PoolSettings.builder("p").ranges("10.0.0.0/30").build().toPool();
        IpPool bound = StickyIpConfig.pools(PlatformConfig.parse("f.yaml",
                "pools: [{name: p, ranges: [10.0.0.0/30]}]\n")).get("p");

        assertThat(built).usingRecursiveComparison().isEqualTo(bound);
    }

    @Test
    void namesThePoolKeyAndRuleWhenTheCliLoadsABadValue() {
        PlatformConfig config = PlatformConfig.parse("f.yaml",
                "stickyIp: {pools: [{name: web, ranges: 10.42.200.1/24}]}\n");

        assertThatThrownBy(() -> ConfigSections.check(config)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("stickyIp.pools[web].ranges: '10.42.200.1/24' has host bits set");
    }

    @Test
    void namesTheRuleOfEachChoiceWhenAValueIsNotOneOfItsWords() {
        assertThatThrownBy(() -> ConfigSections.check(PlatformConfig.parse("f.yaml",
                "stickyIp: {pools: [{name: web, ranges: 10.0.0.0/30, nodePinning: always}]}\n")))
                .hasMessage("stickyIp.pools[web].nodePinning: must be preferred, required or off; got 'always'");
        assertThatThrownBy(() -> ConfigSections.check(PlatformConfig.parse("f.yaml",
                "stickyIp: {pools: [{name: web, ranges: 10.0.0.0/30, cni: flannel}]}\n")))
                .hasMessage("stickyIp.pools[web].cni: must be calico or kube-ovn; got 'flannel'");
        assertThatThrownBy(() -> ConfigSections.check(PlatformConfig.parse("f.yaml", "stickyIp: {ledgerStore: etcd}\n")))
                .hasMessage("stickyIp.ledgerStore: must be file or cluster; got 'etcd'");
    }

    @Test
    void namesThePoolWhenARuleBetweenPoolsIsBroken() {
        PlatformConfig config = PlatformConfig.parse("f.yaml", """
                stickyIp:
                  pools:
                    - {name: a, ranges: 10.42.200.0/24}
                    - {name: b, ranges: 10.42.200.128/25}
                """);

        assertThatThrownBy(() -> StickyIpConfig.pools(config)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("stickyIp.pools[b].ranges: overlap pool 'a'");
    }

    @Test
    void requiresTheRangesOfAPoolWhenTheyAreLeftOut() {
        assertThatThrownBy(() -> StickyIpConfig.pools(PlatformConfig.parse("f.yaml", "stickyIp: {pools: [{name: a}]}\n")))
                .hasMessage("stickyIp.pools[a].ranges: is required");
    }

    @Test
    void suggestsTheDeclaredKeyWhenOneIsMisspelt() {
        assertThatThrownBy(() -> ConfigSections.check(PlatformConfig.parse("f.yaml", "stickyIp: {ledgerStor: file}\n")))
                .hasMessageStartingWith("stickyIp.ledgerStor: is not a key of section 'stickyIp'; did you mean "
                        + "'ledgerStore'?");
    }

    @Test
    void readsTheClusterLedgerWhenTheSectionChoosesIt() {
        LedgerSettings ledger = LedgerSettings.of(PlatformConfig.parse("f.yaml",
                "stickyIp: {ledgerStore: CLUSTER, ledgerNamespace: ipam, cluster: \" edge \"}\n"));

        assertThat(ledger).extracting(LedgerSettings::store, LedgerSettings::namespace, LedgerSettings::cluster)
                .containsExactly(LedgerSettings.Store.CLUSTER, "ipam", Optional.of("edge"));
    }
}
