package io.jenkins.plugins.kubeplatform.engine.expose;

import static io.jenkins.plugins.kubeplatform.engine.expose.ExposeFixture.assertAllowedByRole;
import static io.jenkins.plugins.kubeplatform.engine.expose.ExposeFixture.engine;
import static io.jenkins.plugins.kubeplatform.engine.expose.ExposeFixture.settings;
import static io.jenkins.plugins.kubeplatform.engine.expose.ExposeFixture.writes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExposeEngineTest {

    /** A cluster per test: injected faults or objects of one test never reach another. */
    private SimulatedCluster sim;

    @TempDir
    Path state;

    @BeforeEach
    void startCluster() {
        sim = SimulatedCluster.start();
        sim.requests().clear();
    }

    @AfterEach
    void stopCluster() {
        sim.close();
    }

    /**
     * Accepted by the documented default Gateway gateway-system/platform-gateway, read from the route's status as
     * the Gateway API defines it (status.parents[].parentRef + conditions), not with the engine's own check.
     */
    private static boolean acceptedByDefaultGateway(GenericKubernetesResource route) {
        com.fasterxml.jackson.databind.JsonNode tree =
                io.fabric8.kubernetes.client.utils.Serialization.jsonMapper().valueToTree(route);
        for (com.fasterxml.jackson.databind.JsonNode parent : tree.path("status").path("parents")) {
            com.fasterxml.jackson.databind.JsonNode ref = parent.path("parentRef");
            if (!"platform-gateway".equals(ref.path("name").asText())
                    || !"gateway-system".equals(ref.path("namespace").asText("default"))) {
                continue;
            }
            for (com.fasterxml.jackson.databind.JsonNode c : parent.path("conditions")) {
                if ("Accepted".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void exposesATransliteratedAppWithAnAdmittedIngress() {
        ExposeResult result = engine(sim, settings("ingress"), state)
                .expose(ExposeRequest.of("default", "挖财", 8080, "job/pay #1"));

        assertThat(result.host()).isEqualTo("wacai.default.apps.example.test");
        assertThat(result.url()).isEqualTo("http://wacai.default.apps.example.test/");
        assertThat(result.address()).contains("127.0.0.1");
        assertThat(result.service()).isEqualTo("wacai");
        Ingress ingress = sim.client().network().v1().ingresses().inNamespace("default").withName("wacai").get();
        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(ingress.getSpec().getRules().get(0).getHost()).isEqualTo(result.host());
        assertThat(ingress.getMetadata().getAnnotations()).containsEntry(ExposeLabels.APP_ANNOTATION, "挖财");
        Service service = sim.client().services().inNamespace("default").withName("wacai").get();
        assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(8080);
        ConfigMap claim = sim.client().configMaps().inNamespace("kubeplatform-system").withName(result.host()).get();
        assertThat(claim.getData()).containsEntry("app", "挖财").containsEntry("requestedBy", "job/pay #1");
        assertThat(DomainRegistry.fileStore(state).read().hosts()).containsKey(result.host());
        assertAllowedByRole(sim);
    }

    @Test
    void reRunWritesNothing() {
        ExposeEngine engine = engine(sim, settings("ingress"), state);
        ExposeRequest request = ExposeRequest.of("default", "rerun", 80, "job/a #1");
        engine.expose(request);
        long registryWritten = state.resolve(DomainRegistry.FILE).toFile().lastModified();
        sim.requests().clear();

        ExposeResult again = engine.expose(ExposeRequest.of("default", "rerun", 80, "job/a #2"));

        assertThat(again.changes()).isEmpty();
        assertThat(writes(sim)).isEmpty();
        assertThat(state.resolve(DomainRegistry.FILE).toFile().lastModified()).isEqualTo(registryWritten);
    }

    @Test
    void exposesThroughAnHttpRouteAcceptedByTheGateway() {
        ExposeResult result = engine(sim, settings("httproute"), state)
                .expose(ExposeRequest.of("default", "重庆", 9000, "cli"));

        assertThat(result.host()).isEqualTo("chongqing.default.apps.example.test");
        GenericKubernetesResource route = sim.client().genericKubernetesResources(TestRoutes.HTTP_ROUTE)
                .inNamespace("default").withName("chongqing").get();
        assertThat(acceptedByDefaultGateway(route)).as("Accepted=True from gateway-system/platform-gateway in %s",
                route.getAdditionalProperties().get("status")).isTrue();
        assertThat(result.address()).contains("127.0.0.1");
        assertAllowedByRole(sim);
    }

    @Test
    void failsNamingTheOwnerWhenTheHostIsTaken() {
        ExposeEngine engine = engine(sim, settings("ingress"), state);
        engine.expose(ExposeRequest.of("default", "shop", 80, "job/shop #7").toBuilder()
                .host("shop.apps.example.test").build());
        sim.requests().clear();

        assertThatThrownBy(() -> engine.expose(ExposeRequest.of("kube-system", "shop", 80, "job/other #1").toBuilder()
                .host("shop.apps.example.test").build()))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("app 'shop' in namespace 'default'")
                .hasMessageContaining("job/shop #7");
        assertThat(writes(sim)).isEmpty();
    }

    @Test
    void takesTheNextFreeVariantWhenAsked() {
        DomainTemplate noNamespace = DomainTemplate.parse("t", "{app}.{suffix}");
        ExposeSettings s = ExposeSettings.builder().suffix("apps.example.test").template(noNamespace.pattern())
                .route("ingress").admitTimeout("10s").build();
        ExposeEngine engine = engine(sim, s, state);
        engine.expose(ExposeRequest.of("default", "银行", 80, "job/bank #1"));

        ExposeResult second = engine.expose(ExposeRequest.of("kube-system", "银行", 80, "job/bank2 #1").toBuilder()
                .onConflict("next-free").build());

        assertThat(second.host()).isEqualTo("yinhang-2.apps.example.test");
    }

    @Test
    void refusesAHostRoutedByAnIngressMadeOutsideThePlatform() {
        sim.client().network().v1().ingresses().inNamespace("kube-system").resource(new IngressBuilder()
                .withNewMetadata().withName("legacy").withNamespace("kube-system").endMetadata()
                .withNewSpec().addNewRule().withHost("legacy.default.apps.example.test").endRule().endSpec()
                .build()).create();

        assertThatThrownBy(() -> engine(sim, settings("ingress"), state)
                .expose(ExposeRequest.of("default", "legacy", 80, "job/l #1")))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("Ingress kube-system/legacy");
    }

    @Test
    void explainsAnIngressThatNoControllerAdmits() {
        ExposeSettings s = ExposeSettings.builder().suffix("apps.example.test").route("ingress")
                .ingressClassName("traefik").admitTimeout("1s").build();

        assertThatThrownBy(() -> engine(sim, s, state).expose(ExposeRequest.of("default", "orphan", 80, "cli")))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("not admitted within 1s")
                .hasMessageContaining("IngressClass 'traefik' does not exist");
    }

    @Test
    void explainsAnHttpRouteWhoseGatewayDoesNotExist() {
        ExposeSettings s = ExposeSettings.builder().suffix("apps.example.test").route("httproute")
                .gateway(new ExposeSettings.Gateway("gateway-system", "missing-gateway", null)).admitTimeout("1s")
                .build();

        assertThatThrownBy(() -> engine(sim, s, state).expose(ExposeRequest.of("default", "lost", 80, "cli")))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("not accepted within 1s")
                .hasMessageContaining("Gateway gateway-system/missing-gateway does not exist");
    }

    @Test
    void rejectsBadInputBeforeAnyRequest() {
        ExposeEngine engine = engine(sim, settings("ingress"), state);

        assertThatThrownBy(() -> engine.expose(ExposeRequest.of("default", "a\nb", 80, "cli")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("app");
        assertThatThrownBy(() -> engine.expose(ExposeRequest.of("default", "shop", 80, "cli").toBuilder()
                .host("evil.example.test;").build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("host");
        assertThatThrownBy(() -> engine.expose(ExposeRequest.of("Bad_NS", "shop", 80, "cli")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("namespace");
        assertThat(sim.requests().list()).isEmpty();
    }

    @Test
    void releaseRemovesRouteClaimAndRegistryEntry() {
        ExposeEngine engine = engine(sim, settings("ingress"), state);
        ExposeResult result = engine.expose(ExposeRequest.of("default", "shortlived", 80, "cli"));

        engine.release("default", "shortlived");

        assertThat(sim.client().network().v1().ingresses().inNamespace("default").withName("shortlived").get()).isNull();
        assertThat(sim.client().configMaps().inNamespace("kubeplatform-system").withName(result.host()).get()).isNull();
        assertThat(DomainRegistry.fileStore(state).read().hosts()).doesNotContainKey(result.host());
        assertAllowedByRole(sim);
    }

    @Test
    void ridesOutTransientApiErrors() {
        sim.faults().failNext(2, "create", ".*/configmaps.*", 503).failNext(1, "create", ".*/ingresses.*", 500);

        ExposeResult result = engine(sim, settings("ingress"), state).expose(ExposeRequest.of("default", "flaky", 80, "cli"));

        assertThat(result.changes()).contains("claimed host flaky.default.apps.example.test");
        assertThat(sim.client().network().v1().ingresses().inNamespace("default").withName("flaky").get()).isNotNull();
        // the faults really were in the way: all three answered, none left over
        assertThat(sim.faults().pending()).isZero();
        assertThat(sim.requests().list()).filteredOn(r -> r.status() >= 500).extracting(r -> r.verb() + " " + r.status())
                .containsExactlyInAnyOrder("create 503", "create 503", "create 500");
    }

    @Test
    void failsWithTheServersMessageWhenRetriesRunOutAndKeepsTheClaimForTheNextRun() {
        sim.faults().failNext(3, "create", ".*/services.*", 503);
        ExposeEngine engine = engine(sim, settings("ingress"), state);

        assertThatThrownBy(() -> engine.expose(ExposeRequest.of("default", "outage", 80, "cli")))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("create Service default/outage failed after 3 attempts")
                .hasMessageContaining("503");
        assertThat(sim.faults().pending()).as("all three attempts met a fault").isZero();

        ExposeResult retried = engine.expose(ExposeRequest.of("default", "outage", 80, "cli"));
        assertThat(retried.host()).isEqualTo("outage.default.apps.example.test");
        assertThat(retried.changes()).doesNotContain("claimed host outage.default.apps.example.test")
                .contains("created Service default/outage (port 80 -> 80)");
    }
}
