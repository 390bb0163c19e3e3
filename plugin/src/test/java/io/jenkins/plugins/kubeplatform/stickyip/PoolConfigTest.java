package io.jenkins.plugins.kubeplatform.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.stickyip.Cni;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.NodePinning;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PoolConfigTest {

    @Test
    void readsListsOnePerLineOrCommaSeparated() {
        PoolConfig config = new PoolConfig("default", "10.42.200.0/24\n10.42.201.10-10.42.201.20");
        config.setExclude("10.42.200.1, 10.42.200.2");
        config.setKeepNamespaces("keep\nstaging");
        config.setReclaimAfter("12h");
        config.setCni("kube-ovn");
        config.setNodePinning("required");

        IpPool pool = config.toSettings().toPool();

        assertThat(pool.addresses().size()).isEqualTo(254 - 2 + 11);
        assertThat(pool.keepNamespaces()).containsExactlyInAnyOrder("keep", "staging");
        assertThat(pool.reclaimAfter()).isEqualTo(Duration.ofHours(12));
        assertThat(pool.cni()).isEqualTo(Cni.KUBE_OVN);
        assertThat(pool.pinning()).isEqualTo(NodePinning.REQUIRED);
    }

    @Test
    void namesThePoolAndFieldOfABadRange() {
        assertThatThrownBy(() -> new PoolConfig("default", "10.42.200.1/24").toSettings().toPool())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("pools[default].ranges").hasMessageContaining("host bits set");
    }

    @Test
    void refusesOverlappingPools() {
        assertThatThrownBy(() -> StickyIpConfigurationPools.of(new PoolConfig("a", "10.42.200.0/24"),
                new PoolConfig("b", "10.42.200.128/25")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("overlap pool 'a'");
    }
}
