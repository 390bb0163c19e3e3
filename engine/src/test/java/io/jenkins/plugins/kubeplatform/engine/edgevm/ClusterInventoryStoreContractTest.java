package io.jenkins.plugins.kubeplatform.engine.edgevm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterLedgerStore;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerChange;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerStore;
import io.jenkins.plugins.kubeplatform.engine.stickyip.Reservation;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore;
import io.jenkins.plugins.kubeplatform.engine.store.StoreException;
import io.jenkins.plugins.kubeplatform.engine.store.WriterJvm;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import io.jenkins.plugins.kubeplatform.sim.rbac.RbacPolicy;
import io.jenkins.plugins.kubeplatform.sim.rbac.ResourceRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The inventory contract on the cluster store (one ConfigMap per record), plus what only that store shows. */
class ClusterInventoryStoreContractTest extends InventoryStoreContract {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static SimulatedCluster sim;
    private String namespace;

    @BeforeAll
    static void startCluster() {
        sim = SimulatedCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        sim.close();
    }

    @BeforeEach
    void freshNamespace() {
        namespace = "inventory-" + NAMESPACES.incrementAndGet();
        sim.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                .endMetadata().build()).create();
    }

    static ApiRetry retry() {
        return new ApiRetry(6, Duration.ofMillis(20), Duration.ofMillis(500), d -> LockSupport.parkNanos(d.toNanos()));
    }

    @Override
    StateStore<Inventory> instance() {
        return new ClusterInventoryStore(sim.client(), namespace, retry(), new Random());
    }

    @Override
    Process writerProcess(String role, int count) throws Exception {
        return WriterJvm.start(InventoryWriterProcess.class, "cluster", sim.url(), namespace, role,
                Integer.toString(count));
    }

    @Test
    void keepsOneObjectPerRecordNamedAfterTheVmWhenRecordsAreWritten() {
        VmRecord web = vm("web", EdgeFixtures.T0);
        instance().update(inv -> Update.to(inv.add(web).addCluster(CLUSTER), null));
        instance().update(inv -> Update.to(inv.update(web.vm(), r -> r.ended(EdgeFixtures.T0.plusSeconds(60))),
                null));

        assertThat(sim.client().configMaps().inNamespace(namespace).withLabel(ClusterInventoryStore.STORE_LABEL).list()
                .getItems()).extracting(cm -> cm.getMetadata().getName())
                .containsExactlyInAnyOrder("kubeplatform-vm-demo-web.1796014800000",
                        "kubeplatform-edgecluster-edge-new-1");
    }

    @Test
    void reDecidesWhenAnotherWriterChangedTheRecordBetweenReadAndWrite() {
        StateStore<Inventory> store = instance();
        store.update(inv -> Update.to(inv.add(vm("web", EdgeFixtures.T0)), null));
        AtomicInteger decisions = new AtomicInteger();

        store.update(inv -> {
            if (decisions.incrementAndGet() == 1) {
                // another controller writes after this decision read the inventory
                instance().update(other -> Update.to(other.update("demo-web",
                        r -> r.toBuilder().state(VmState.IDLE).build()), null));
            }
            return Update.to(inv.update("demo-web", r -> r.toBuilder().attempts(r.attempts() + 1).build()), null);
        });

        VmRecord seen = instance().read().liveVm("demo-web").orElseThrow();
        assertThat(decisions.get()).isEqualTo(2);
        assertThat(seen.state()).isEqualTo(VmState.IDLE);
        assertThat(seen.attempts()).isEqualTo(1);
    }

    @Test
    void namesTheObjectAndTheNamespaceWhenARecordWasChangedByHand() {
        instance().update(inv -> Update.to(inv.add(vm("web", EdgeFixtures.T0)), null));
        ConfigMap cm = sim.client().configMaps().inNamespace(namespace).withName("kubeplatform-vm-demo-web").get();
        cm.getData().put(ClusterInventoryStore.DATA_KEY, "{not json");
        sim.client().configMaps().inNamespace(namespace).resource(cm).update();

        assertThatThrownBy(() -> instance().read()).isInstanceOf(StoreException.class)
                .hasMessageContaining("ConfigMap " + namespace + "/kubeplatform-vm-demo-web");
    }

    @Test
    void namesTheSettingWhenTheNamespaceIsMissing() {
        StateStore<Inventory> store = new ClusterInventoryStore(sim.client(), "no-such-ns", retry(), new Random());

        assertThatThrownBy(() -> store.update(inv -> Update.to(inv.add(vm("web", EdgeFixtures.T0)), null)))
                .isInstanceOf(StoreException.class).hasMessageContaining("edgeVms.inventoryNamespace")
                .hasMessageContaining("no-such-ns");
    }

    @Test
    void staysWithinTheStoresRoleOfDocsRbacYamlWhenBothClusterStoresWriteReadAndRemove() {
        sim.requests().clear();
        StateStore<Inventory> inventory = instance();
        VmRecord web = vm("web", EdgeFixtures.T0);
        inventory.update(inv -> Update.to(inv.add(web).addCluster(CLUSTER), null));
        inventory.update(inv -> Update.to(inv.update(web.vm(), r -> r.toBuilder().attempts(1).build()), null));
        inventory.update(inv -> Update.to(inv.update(web.vm(), r -> r.ended(EdgeFixtures.T0.plusSeconds(60))), null));
        LedgerStore ledger = new ClusterLedgerStore(sim.client(), namespace, retry(), new Random());
        Reservation r = new Reservation("shop/web-0", "default", "10.42.200.9", Reservation.Kind.MANAGED,
                Reservation.State.ACTIVE, null, null, "test", EdgeFixtures.T0, 1);
        ledger.update(v -> new LedgerStore.Decision<>(List.of(new LedgerChange.Put(r)), null));
        ledger.update(v -> new LedgerStore.Decision<>(List.of(new LedgerChange.Remove(r.identity())), null));

        List<ResourceRequest> requests = sim.requests().matching(q -> !q.internal()).stream()
                .map(q -> ResourceRequest.fromHttp(q.method(), q.pathAndQuery())).flatMap(Optional::stream).toList();
        assertThat(requests).extracting(ResourceRequest::verb).contains("list", "create", "update", "delete");
        assertThat(RbacPolicy.ofProject().denied("kubeplatform-stores", requests))
                .as("requests outside the kubeplatform-stores role of docs/rbac.yaml").isEmpty();
    }

    @Test
    void writesOneObjectPerNewRecordAndPerChangeAndThreeToEndAVm() {
        StateStore<Inventory> store = instance();
        VmRecord web = vm("web", EdgeFixtures.T0);

        sim.requests().clear();
        store.update(inv -> Update.to(inv.add(web), null));
        List<String> add = writes();
        sim.requests().clear();
        store.update(inv -> Update.to(inv.update(web.vm(), r -> r.joined("demo-web", "10.9.0.7")), null));
        List<String> change = writes();
        sim.requests().clear();
        store.update(inv -> Update.to(inv.update(web.vm(), r -> r.ended(EdgeFixtures.T0.plusSeconds(60))), null));
        List<String> end = writes();

        assertThat(add).containsExactly("create");
        assertThat(change).containsExactly("update");
        assertThat(end).containsExactly("update", "create", "delete");
    }

    private static List<String> writes() {
        return sim.requests().matching(q -> !q.internal() && q.persisted()).stream()
                .map(io.jenkins.plugins.kubeplatform.sim.ApiRequest::verb).toList();
    }
}
