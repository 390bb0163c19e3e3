package io.jenkins.plugins.kubeplatform.engine.expose;

import static io.jenkins.plugins.kubeplatform.engine.expose.ExposeFixture.assertAllowedByRole;
import static io.jenkins.plugins.kubeplatform.engine.expose.ExposeFixture.engine;
import static io.jenkins.plugins.kubeplatform.engine.expose.ExposeFixture.settings;
import static io.jenkins.plugins.kubeplatform.engine.expose.ExposeFixture.writes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.jenkins.plugins.kubeplatform.engine.core.ChangePlan;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A release deletes exactly the route objects exposeApp created for the owner, of every kind, and nothing else. */
class RouteReleaseTest {

    private static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    private static final String APP = "kubeplatform.jenkins.io/app";
    private static final String EXPOSE = "kubeplatform.jenkins.io/expose";

    private SimulatedCluster sim;

    @TempDir
    Path state;

    @BeforeEach
    void startCluster() {
        sim = SimulatedCluster.start();
        sim.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-b").endMetadata()
                .build()).create();
        sim.requests().clear();
    }

    @AfterEach
    void stopCluster() {
        sim.close();
    }

    @Test
    void deletesItsHttpRouteButNotOneAnotherToolMadeInTheNamespaceWhenReleased() {
        ExposeEngine engine = engine(sim, settings("httproute"), state);
        engine.expose(ExposeRequest.of("default", "shop", 80, "cli"));
        // made by hand for the same app (as the sync marks a route it gave a host): no managed-by label
        httpRoutes().resource(handMadeRoute("shop-extra", Map.of(EXPOSE, "true"), Map.of(APP, "shop"))).create();

        List<String> changes = engine.release("default", "shop");

        assertThat(changes).contains("deleted HTTPRoute default/shop");
        assertThat(httpRoutes().withName("shop").get()).isNull();
        assertThat(httpRoutes().withName("shop-extra").get()).isNotNull();
        assertAllowedByRole(sim);
    }

    @Test
    void exposesAndReleasesWithAnIngressOnAClusterWithoutTheGatewayApi() {
        // a cluster where Gateway API is not installed: its resources are not served (404), not empty
        for (String crd : List.of("httproutes.gateway.networking.k8s.io", "gateways.gateway.networking.k8s.io")) {
            sim.client().apiextensions().v1().customResourceDefinitions().withName(crd).delete();
        }
        ExposeEngine engine = engine(sim, settings("ingress"), state);
        engine.expose(ExposeRequest.of("default", "shop", 80, "cli"));

        List<String> changes = engine.release("default", "shop");

        assertThat(changes).filteredOn(c -> c.startsWith("deleted ")).containsExactly("deleted Ingress default/shop");
        assertThat(ingress("default", "shop")).isNull();
        assertThat(sim.requests().matching(r -> !r.internal() && r.resource().equals("httproutes")))
                .as("the release looked for HTTPRoutes and met the cluster's 404").isNotEmpty()
                .allMatch(r -> r.status() == 404);
    }

    @Test
    void refusesAnHttpRouteBeforeWritingAnythingOnAClusterWithoutTheGatewayApi() {
        for (String crd : List.of("httproutes.gateway.networking.k8s.io", "gateways.gateway.networking.k8s.io")) {
            sim.client().apiextensions().v1().customResourceDefinitions().withName(crd).delete();
        }
        sim.requests().clear();
        ExposeEngine engine = engine(sim, settings("httproute"), state);

        assertThatThrownBy(() -> engine.expose(ExposeRequest.of("default", "shop", 80, "cli")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("route: 'httproute' needs the Gateway API (HTTPRoute, gateway.networking.k8s.io/v1), which "
                        + "this cluster does not serve: install the Gateway API CRDs and a Gateway controller, or use "
                        + "route 'ingress'");
        assertThat(writes(sim)).as("nothing was written: no host claim, no Service").isEmpty();
        assertThatThrownBy(() -> engine.planExpose(ExposeRequest.of("default", "shop", 80, "cli"), true))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("route: 'httproute' needs");
    }

    @Test
    void keepsIngressesOfOtherOwnersWithTheSameNameWhenReleased() {
        ExposeEngine engine = engine(sim, settings("ingress"), state);
        engine.expose(ExposeRequest.of("default", "shop", 80, "cli"));
        ExposeResult otherNamespace = engine.expose(ExposeRequest.of("team-b", "shop", 80, "cli"));
        engine.expose(ExposeRequest.of("default", "shop-admin", 80, "cli"));

        List<String> changes = engine.release("default", "shop");

        assertThat(changes).filteredOn(c -> c.startsWith("deleted ")).containsExactly("deleted Ingress default/shop");
        assertThat(ingress("default", "shop")).isNull();
        assertThat(ingress("team-b", "shop")).isNotNull();
        assertThat(ingress("default", "shop-admin")).isNotNull();
        assertThat(sim.client().configMaps().inNamespace("kubeplatform-system").withName(otherNamespace.host()).get())
                .as("the other owner's host claim").isNotNull();
    }

    @Test
    void keepsAnObjectThatReplacedTheRecordedNameForAnotherAppWhenReleased() {
        ExposeEngine engine = engine(sim, settings("ingress"), state);
        engine.expose(ExposeRequest.of("default", "shop", 80, "cli"));
        // the registry still names default/shop for app 'shop', but the object there now belongs to app 'boutique'
        sim.client().network().v1().ingresses().inNamespace("default").withName("shop").delete();
        sim.client().network().v1().ingresses().inNamespace("default").resource(new IngressBuilder()
                .withNewMetadata().withName("shop").withNamespace("default")
                .addToLabels(MANAGED_BY, "kubernetes-platform-steps").addToLabels(EXPOSE, "true")
                .addToAnnotations(APP, "boutique").endMetadata()
                .withNewSpec().withIngressClassName("nginx").addNewRule().withHost("boutique.example.test").endRule()
                .endSpec().build()).create();

        List<String> changes = engine.release("default", "shop");

        assertThat(changes).noneMatch(c -> c.startsWith("deleted "));
        assertThat(ingress("default", "shop").getMetadata().getAnnotations()).containsEntry(APP, "boutique");
    }

    @Test
    void releasesAnHttpRouteAfterTheSettingsSwitchedToIngress() {
        ExposeResult exposed = engine(sim, settings("httproute"), state).expose(ExposeRequest.of("default", "blog", 80, "cli"));
        ExposeEngine switched = engine(sim, settings("ingress"), state);

        ChangePlan plan = switched.planRelease("default", "blog", false);
        List<String> changes = switched.release("default", "blog");

        assertThat(plan.objects()).extracting(o -> o.action() + " " + o.kind() + " " + o.namespace() + "/" + o.name())
                .containsExactly("delete HTTPRoute default/blog",
                        "delete ConfigMap kubeplatform-system/" + exposed.host());
        assertThat(changes).contains("deleted HTTPRoute default/blog", "released host " + exposed.host());
        assertThat(httpRoutes().withName("blog").get()).isNull();
        assertThat(DomainRegistry.fileStore(state).read().hosts()).isEmpty();
    }

    @Test
    void deletesItsRouteEvenWhenSomeoneRemovedItsHostnames() {
        ExposeEngine engine = engine(sim, settings("httproute"), state);
        engine.expose(ExposeRequest.of("default", "docs", 80, "cli"));
        GenericKubernetesResource live = httpRoutes().withName("docs").get();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) live.getAdditionalProperties().get("spec");
        spec.remove("hostnames");
        httpRoutes().resource(live).update();

        List<String> changes = engine.release("default", "docs");

        assertThat(changes).contains("deleted HTTPRoute default/docs");
        assertThat(httpRoutes().withName("docs").get()).isNull();
    }

    @Test
    void planSendsOnlyDryRunDeletesOfItsOwnRoutes() {
        ExposeEngine engine = engine(sim, settings("ingress"), state);
        engine.expose(ExposeRequest.of("default", "cart", 80, "cli"));
        sim.requests().clear();

        ChangePlan plan = engine.planRelease("default", "cart", true);

        assertThat(plan.objects()).extracting(o -> o.action() + " " + o.kind() + " " + o.name())
                .contains("delete Ingress cart");
        assertThat(writes(sim)).isNotEmpty().allMatch(r -> r.pathAndQuery().contains("dryRun=All"));
        assertThat(ingress("default", "cart")).isNotNull();
    }

    private Ingress ingress(String namespace, String name) {
        return sim.client().network().v1().ingresses().inNamespace(namespace).withName(name).get();
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
            io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
            io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> httpRoutes() {
        return sim.client().genericKubernetesResources(TestRoutes.HTTP_ROUTE).inNamespace("default");
    }

    private static GenericKubernetesResource handMadeRoute(String name, Map<String, String> labels,
            Map<String, String> annotations) {
        return new GenericKubernetesResourceBuilder().withApiVersion("gateway.networking.k8s.io/v1").withKind("HTTPRoute")
                .withNewMetadata().withName(name).withNamespace("default").withLabels(labels)
                .withAnnotations(annotations).endMetadata()
                .addToAdditionalProperties("spec", Map.of(
                        "parentRefs", List.of(Map.of("name", "platform-gateway", "namespace", "gateway-system")),
                        "hostnames", List.of(name + ".example.test"),
                        "rules", List.of(Map.of("backendRefs", List.of(Map.of("name", "shop", "port", 80))))))
                .build();
    }

    @Test
    void deletesItsIngressAfterAControllerWroteItsStatusButLeavesAnObjectThatTookItsName() {
        ExposeEngine engine = engine(sim, settings("ingress"), state);
        engine.expose(ExposeRequest.of("default", "shop", 80, "cli"));
        engine.expose(ExposeRequest.of("default", "cart", 80, "cli"));
        IngressRoutes driver = new IngressRoutes(sim.client(), settings("ingress"),
                io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry.defaults(), io.jenkins.plugins.kubeplatform.engine.core
                        .Progress.silent());
        CreatedRoute shop = new CreatedRoute(RouteKind.INGRESS, ingress("default", "shop").getMetadata(), List.of());
        CreatedRoute cart = new CreatedRoute(RouteKind.INGRESS, ingress("default", "cart").getMetadata(), List.of());
        // after the release read them: a controller writes shop's status; cart is deleted and made again by someone
        sim.client().network().v1().ingresses().inNamespace("default").withName("shop").edit(i -> new IngressBuilder(i)
                .editMetadata().addToAnnotations("controller/seen", "1").endMetadata().build());
        Ingress replacement = new IngressBuilder(ingress("default", "cart")).editMetadata().withUid(null)
                .withResourceVersion(null).endMetadata().build();
        sim.client().network().v1().ingresses().inNamespace("default").withName("cart").delete();
        sim.client().network().v1().ingresses().inNamespace("default").resource(replacement).create();

        assertThat(driver.delete(shop, false)).isTrue();
        assertThat(driver.delete(cart, false)).isFalse();

        assertThat(ingress("default", "shop")).isNull();
        assertThat(ingress("default", "cart")).as("the object that took the name").isNotNull();
        assertThat(ingress("default", "cart").getMetadata().getUid()).isNotEqualTo(cart.uid());
    }
}
