package io.jenkins.plugins.kubeplatform.engine.expose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExposeRequestTest {

    @Test
    void keepsEveryValueWhenCopiedThroughToBuilder() {
        ExposeRequest request = ExposeRequest.builder().namespace("shop").app("web").port(80).targetPort(8080)
                .host("web.apps.example.test").service("web-svc").route("httproute").onConflict("next-free")
                .upstream("10.0.0.5:8080").verify(true).requestedBy("job/web #3").build();

        ExposeRequest copy = request.toBuilder().build();

        assertThat(copy).isEqualTo(new ExposeRequest("shop", "web", 80, Optional.of(8080),
                Optional.of("web.apps.example.test"), Optional.of("web-svc"), Optional.of("httproute"),
                Optional.of("next-free"), Optional.of("10.0.0.5:8080"), true, "job/web #3"));
    }

    @Test
    void changesOnlyTheGivenValueWhenBuiltFromACopy() {
        ExposeRequest request = ExposeRequest.of("shop", "web", 80, "cli");

        ExposeRequest changed = request.toBuilder().host("other.apps.example.test").build();

        assertThat(changed).isEqualTo(new ExposeRequest("shop", "web", 80, Optional.empty(),
                Optional.of("other.apps.example.test"), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false, "cli"));
    }

    @Test
    void treatsBlankValuesAsAbsentWhenBuilt() {
        ExposeRequest request = ExposeRequest.builder().namespace("shop").app("web").port(80).host("  ")
                .service("").route(" ").onConflict("").upstream("\t").requestedBy(" ").build();

        assertThat(request).isEqualTo(new ExposeRequest("shop", "web", 80, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, "unknown"));
    }
}
