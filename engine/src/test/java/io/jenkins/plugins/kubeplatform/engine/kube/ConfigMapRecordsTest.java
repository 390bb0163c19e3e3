package io.jenkins.plugins.kubeplatform.engine.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.jenkins.plugins.kubeplatform.engine.store.StoreException;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The guarded writes and the re-decide loop shared by the cluster stores, on the simulated cluster. */
class ConfigMapRecordsTest {

    private static final String NS = "records";
    private static SimulatedCluster sim;

    @BeforeAll
    static void startCluster() {
        sim = SimulatedCluster.start();
        sim.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata()
                .build()).create();
    }

    @AfterAll
    static void stopCluster() {
        sim.close();
    }

    private static ConfigMapRecords records() {
        return records(ConfigMapRecords.PAGE_SIZE);
    }

    private static ConfigMapRecords records(int pageSize) {
        ApiRetry retry = new ApiRetry(3, Duration.ofMillis(5), Duration.ofMillis(20),
                d -> LockSupport.parkNanos(d.toNanos()));
        return new ConfigMapRecords(sim.client(), NS, "test/store", "records", retry, new Random(),
                (what, e) -> new StoreException(what + ": " + e.getCode(), e), pageSize);
    }

    private static ConfigMap record(String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).addToLabels("test/store", "records")
                .endMetadata().addToData("v", value).build();
    }

    @Test
    void refusesAnotherWritersObjectWhenItsContentIsTheSameAsOurs() {
        ConfigMapRecords mine = records();
        ConfigMapRecords theirs = records();

        ConfigMap made = theirs.create(record("same", "x"), "create").orElseThrow();

        assertThat(ConfigMapRecords.writeIdOf(made)).isNotBlank();
        assertThat(mine.create(record("same", "x"), "create")).as("the same content by another create").isEmpty();
    }

    @Test
    void answersConflictWhenTheObjectChangedSinceItWasRead() {
        ConfigMapRecords records = records();
        ConfigMap read = records.create(record("guarded", "1"), "create").orElseThrow();
        ConfigMap changed = new ConfigMapBuilder(read).addToData("v", "2").build();
        records.update(changed, "update").orElseThrow();

        ConfigMap stale = new ConfigMapBuilder(read).addToData("v", "3").build();
        assertThat(records.update(stale, "stale update")).isEmpty();
        assertThat(records.delete("guarded", read.getMetadata().getResourceVersion(), "stale delete")).isFalse();
        assertThat(sim.client().configMaps().inNamespace(NS).withName("guarded").get().getData())
                .containsEntry("v", "2");
    }

    @Test
    void listsEveryRecordOfTheStoreAcrossPagesAndOnlyThose() {
        ConfigMapRecords records = records(4);
        for (int i = 0; i < 9; i++) {
            records.create(record("page-" + i, "v"), "create");
        }
        sim.client().configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("foreign").endMetadata().build()).create();

        List<String> names = records.list().stream().map(cm -> cm.getMetadata().getName())
                .filter(n -> n.startsWith("page-") || n.equals("foreign")).toList();
        assertThat(names).hasSize(9).doesNotHaveDuplicates().doesNotContain("foreign");
    }

    @Test
    void givesUpAfterTheBoundWhenEveryRoundMeetsAnotherWriter() {
        AtomicInteger rounds = new AtomicInteger();

        assertThatThrownBy(() -> records().decide(4, () -> {
            rounds.incrementAndGet();
            return ConfigMapRecords.Round.conflict();
        }, () -> new StoreException("gave up", null))).hasMessage("gave up");
        assertThat(rounds.get()).isEqualTo(4);
        assertThat(records().<String>decide(4, () -> ConfigMapRecords.Round.done(null), () -> null)).isNull();
    }
}
