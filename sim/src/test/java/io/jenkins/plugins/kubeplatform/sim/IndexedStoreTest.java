package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The indexed store answers every lookup as the mock's full scan would: a lookup limited to a request's key range
 * sees every object that request can match, and nothing is lost when objects are replaced or removed.
 */
class IndexedStoreTest {

    private static final KubernetesAttributesExtractor EXTRACTOR = new KubernetesAttributesExtractor();

    private static SimulatedCluster sim;

    @BeforeAll
    static void start() {
        sim = SimulatedCluster.start(SimOptions.builder().nodes(1).build());
        for (String ns : List.of("a", "b")) {
            sim.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata()
                    .build()).create();
        }
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    /** An object's key as the mock stores it: its path's attributes merged with its own. */
    private static AttributeSet stored(String path, String json) {
        return AttributeSet.merge(EXTRACTOR.fromPath(path), EXTRACTOR.fromResource(json));
    }

    private static String pod(String ns, String name, String label) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns
                + "\",\"labels\":{\"app\":\"" + label + "\"}}}";
    }

    /** What the mock's own scan finds: every stored key that matches the query. */
    private static List<String> scan(IndexedStore store, String path) {
        AttributeSet query = EXTRACTOR.fromPath(path);
        return IndexedStore.scoped(query, () -> store.entrySet().stream().filter(e -> e.getKey().matches(query))
                .map(Map.Entry::getValue).sorted().toList());
    }

    private static List<String> unscoped(IndexedStore store, String path) {
        AttributeSet query = EXTRACTOR.fromPath(path);
        return store.entrySet().stream().filter(e -> e.getKey().matches(query)).map(Map.Entry::getValue).sorted()
                .toList();
    }

    @Test
    void findsWithinTheKeyRangeExactlyWhatAFullScanFinds() {
        IndexedStore store = new IndexedStore();
        for (String ns : List.of("a", "b")) {
            for (String name : List.of("web-0", "web-1", "db-0")) {
                String json = pod(ns, name, name.startsWith("web") ? "web" : "db");
                store.put(stored("/api/v1/namespaces/" + ns + "/pods", json), json);
            }
        }
        String node = "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"web-0\"}}";
        store.put(stored("/api/v1/nodes", node), node);

        for (String path : List.of("/api/v1/namespaces/a/pods/web-0", "/api/v1/namespaces/b/pods/web-0",
                "/api/v1/namespaces/a/pods", "/api/v1/pods", "/api/v1/namespaces/a/pods?labelSelector=app%3Dweb",
                "/api/v1/pods?labelSelector=app%3Ddb", "/api/v1/nodes/web-0", "/api/v1/nodes",
                "/api/v1/namespaces/c/pods", "/api/v1/namespaces/a/pods/missing")) {
            assertThat(scan(store, path)).as(path).isEqualTo(unscoped(store, path));
        }
        assertThat(scan(store, "/api/v1/namespaces/a/pods")).hasSize(3);
        assertThat(scan(store, "/api/v1/namespaces/b/pods/web-0")).singleElement().asString().contains("\"b\"");
        assertThat(scan(store, "/api/v1/nodes/web-0")).singleElement().asString().contains("\"Node\"");
    }

    @Test
    void keepsTheIndexInStepWithReplacementsAndRemovals() {
        IndexedStore store = new IndexedStore();
        String v1 = pod("a", "web-0", "web");
        AttributeSet k1 = stored("/api/v1/namespaces/a/pods", v1);
        store.put(k1, v1);
        String v2 = pod("a", "web-0", "shop");
        AttributeSet k2 = stored("/api/v1/namespaces/a/pods", v2);
        store.remove(k1);
        store.put(k2, v2);

        assertThat(scan(store, "/api/v1/namespaces/a/pods?labelSelector=app%3Dweb")).isEmpty();
        assertThat(scan(store, "/api/v1/namespaces/a/pods?labelSelector=app%3Dshop")).containsExactly(v2);
        store.remove(k2);
        assertThat(scan(store, "/api/v1/namespaces/a/pods/web-0")).isEmpty();
        assertThat(store).isEmpty();
    }

    @Test
    void servesObjectsOfTheSameNameInTwoNamespacesThroughTheSimulatedServer() {
        KubernetesClient client = sim.client();
        for (String ns : List.of("a", "b")) {
            client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("same")
                    .addToLabels("ns", ns).endMetadata().withNewSpec().addNewContainer().withName("c").withImage("i")
                    .endContainer().endSpec().build()).create();
        }

        assertThat(client.pods().inNamespace("a").withName("same").get().getMetadata().getLabels())
                .containsEntry("ns", "a");
        assertThat(client.pods().inAnyNamespace().withLabel("ns").list().getItems())
                .extracting(p -> p.getMetadata().getNamespace()).containsExactlyInAnyOrder("a", "b");
        client.pods().inNamespace("b").withName("same").withGracePeriod(0).delete();
        Pod left = client.pods().inNamespace("a").withName("same").get();
        assertThat(left).isNotNull();
        assertThat(client.pods().inNamespace("b").withName("same").get()).isNull();
    }
}
