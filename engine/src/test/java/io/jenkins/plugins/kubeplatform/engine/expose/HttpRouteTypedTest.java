package io.jenkins.plugins.kubeplatform.engine.expose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.kubeplatform.engine.core.ChangePlan;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The typed HTTPRoute exposeApp writes, as the server stores it and as the engine reads it back. */
class HttpRouteTypedTest {

    private static final ExposeSettings SETTINGS = ExposeSettings.builder().suffix("apps.example.test")
            .route("httproute").gateway(new ExposeSettings.Gateway("edge", "public", "https")).admitTimeout("10s")
            .build().validated();
    private static final RouteObjects.RouteSpec SPEC = new RouteObjects.RouteSpec("default", "shop",
            "shop.default.apps.example.test", "shop", 8080, new Owner("default", "Shop 1"), null);

    private SimulatedCluster sim;

    @TempDir
    Path state;

    @BeforeEach
    void startCluster() {
        sim = SimulatedCluster.start();
    }

    @AfterEach
    void stopCluster() {
        sim.close();
    }

    @Test
    void storesParentRefsHostnamesAndBackendRefsAsTheGatewayApiDefinesThemWhenCreatedTyped() throws Exception {
        sim.client().resources(HTTPRoute.class).inNamespace("default")
                .resource(RouteObjects.httpRoute(SETTINGS, SPEC)).create();

        JsonNode stored = Serialization.jsonMapper().valueToTree(sim.client()
                .genericKubernetesResources(TestRoutes.HTTP_ROUTE).inNamespace("default").withName("shop").get());

        JsonNode expected = new ObjectMapper().readTree("""
                {"parentRefs": [{"group": "gateway.networking.k8s.io", "kind": "Gateway", "namespace": "edge",
                                 "name": "public", "sectionName": "https"}],
                 "hostnames": ["shop.default.apps.example.test"],
                 "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
                            "backendRefs": [{"name": "shop", "port": 8080}]}]}
                """);
        assertThat(stored.path("apiVersion").asText()).isEqualTo("gateway.networking.k8s.io/v1");
        assertThat(stored.path("kind").asText()).isEqualTo("HTTPRoute");
        assertThat(stored.path("spec")).isEqualTo(expected);
        assertThat(stored.path("metadata").path("labels").path("app.kubernetes.io/managed-by").asText())
                .isEqualTo("kubernetes-platform-steps");
        assertThat(stored.path("metadata").path("annotations").path("kubeplatform.jenkins.io/app").asText())
                .isEqualTo("Shop 1");
    }

    @Test
    void readsBackTheHostServiceAndPortWhenListedTyped() {
        sim.client().resources(HTTPRoute.class).inNamespace("default")
                .resource(RouteObjects.httpRoute(SETTINGS, SPEC)).create();

        HTTPRoute live = sim.client().resources(HTTPRoute.class).inNamespace("default").withName("shop").get();

        assertThat(live.getSpec().getParentRefs()).singleElement().satisfies(p -> {
            assertThat(p.getNamespace()).isEqualTo("edge");
            assertThat(p.getName()).isEqualTo("public");
            assertThat(p.getSectionName()).isEqualTo("https");
        });
        assertThat(RouteHosts.fromHttpRoute(live)).singleElement().satisfies(r -> {
            assertThat(r.host()).isEqualTo("shop.default.apps.example.test");
            assertThat(r.service()).contains("shop");
            assertThat(r.port()).isEqualTo(8080);
            assertThat(r.owner()).contains(new Owner("default", "Shop 1"));
            assertThat(r.labelled()).isTrue();
        });
        assertThat(RouteObjects.covers(live, RouteObjects.httpRoute(SETTINGS, SPEC))).isTrue();
        assertThat(RouteObjects.covers(live, RouteObjects.httpRoute(SETTINGS, new RouteObjects.RouteSpec("default",
                "shop", "shop.default.apps.example.test", "shop", 9090, new Owner("default", "Shop 1"),
                null)))).as("another port").isFalse();
    }

    @Test
    void plansTheTypedRouteWithADryRunCreateAndStoresNothing() {
        ExposeEngine engine = ExposeFixture.engine(sim, ExposeFixture.settings("httproute"), state);
        sim.requests().clear();

        ChangePlan plan = engine.planExpose(ExposeRequest.of("default", "atlas", 80, "cli"), true);

        assertThat(plan.objects()).extracting(o -> o.action() + " " + o.kind() + " " + o.namespace() + "/" + o.name())
                .contains("create HTTPRoute default/atlas");
        assertThat(sim.requests().list()).filteredOn(r -> r.path().contains("/httproutes") && "create".equals(r.verb()))
                .singleElement().satisfies(r -> {
                    assertThat(r.pathAndQuery()).contains("dryRun=All");
                    assertThat(r.status()).isBetween(200, 201);
                });
        assertThat(ExposeFixture.writes(sim)).allMatch(r -> r.pathAndQuery().contains("dryRun=All"));
        assertThat(sim.client().genericKubernetesResources(TestRoutes.HTTP_ROUTE).inNamespace("default")
                .withName("atlas").get()).isNull();
    }
}
