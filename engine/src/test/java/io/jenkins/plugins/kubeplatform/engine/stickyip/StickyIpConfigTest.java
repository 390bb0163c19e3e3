package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StickyIpConfigTest {

    @Test
    void readsThePoolsOfTheExampleConfiguration() {
        var pools = StickyIpConfig.pools(PlatformConfig.load(Path.of("..", "docs", "examples", "kubeplatform.yaml")));

        IpPool pool = pools.get("default");
        assertThat(pool.addresses().size()).isEqualTo(253);
        assertThat(pool.cni()).isEqualTo(Cni.CALICO);
        assertThat(pool.keeps("keep")).isTrue();
        assertThat(pool.reclaimAfter()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void namesTheFieldOfAnInvalidPool() {
        PlatformConfig config = PlatformConfig.parse("test", "pools:\n  - name: p\n    ranges: [10.0.0.0/24]\n    cni: flannel\n");

        assertThatThrownBy(() -> StickyIpConfig.pools(config)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("pools[p].cni").hasMessageContaining("calico or kube-ovn");
    }
}
