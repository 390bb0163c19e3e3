package io.jenkins.plugins.kubeplatform.engine.expose;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** Gateway API resources read generically in tests: the JSON the server stores, independent of the engine's typed model. */
final class TestRoutes {

    static final ResourceDefinitionContext HTTP_ROUTE = new ResourceDefinitionContext.Builder()
            .withGroup("gateway.networking.k8s.io").withVersion("v1").withPlural("httproutes").withKind("HTTPRoute")
            .withNamespaced(true).build();

    private TestRoutes() {
    }
}
