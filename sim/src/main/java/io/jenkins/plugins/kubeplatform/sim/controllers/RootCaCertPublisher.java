package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.sim.ChangeHandler;
import io.jenkins.plugins.kubeplatform.sim.Observed;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * kube-controller-manager's root-ca-cert-publisher (pkg/controller/certificates/rootcacertpublisher/publisher.go):
 * every namespace has a ConfigMap {@code kube-root-ca.crt} whose {@code ca.crt} is the cluster's CA certificate, annotated
 * {@code kubernetes.io/description}; the one the service account token volume of every pod projects. It is created
 * when a namespace appears or becomes active, created again when deleted, and its data and annotation are written
 * back when someone changes them ({@code syncNamespace}); a namespace that is gone or terminating is skipped.
 */
public final class RootCaCertPublisher implements SimController {

    static final String CONFIG_MAP = "kube-root-ca.crt";
    static final String DESCRIPTION_ANNOTATION = "kubernetes.io/description";
    static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using "
            + "internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
            + "guaranteed across distributions of Kubernetes clusters.";

    private final Supplier<String> rootCa;
    private SimContext ctx;
    private Observed<Namespace> namespaces;
    private Observed<ConfigMap> configMaps;

    /** {@code rootCa}: the PEM certificate to publish (kube-controller-manager's {@code --root-ca-file}). */
    public RootCaCertPublisher(Supplier<String> rootCa) {
        this.rootCa = rootCa;
    }

    @Override
    public String name() {
        return "root-ca-cert-publisher";
    }

    @Override
    public void start(SimContext context) {
        this.ctx = context;
        this.configMaps = ctx.observe(ctx.client().configMaps().inAnyNamespace(), new ChangeHandler<>() {
            @Override
            public void changed(ConfigMap configMap) {
                if (CONFIG_MAP.equals(configMap.getMetadata().getName())) {
                    sync(configMap.getMetadata().getNamespace());
                }
            }

            @Override
            public void deleted(ConfigMap configMap) {
                changed(configMap);
            }
        });
        this.namespaces = ctx.observe(ctx.client().namespaces(), new ChangeHandler<>() {
            @Override
            public void changed(Namespace namespace) {
                sync(namespace.getMetadata().getName());
            }
        });
    }

    private void sync(String namespace) {
        if (namespaces.get(null, namespace).filter(RootCaCertPublisher::active).isEmpty()) {
            return;
        }
        Map<String, String> data = Map.of("ca.crt", rootCa.get());
        ConfigMap current = configMaps.get(namespace, CONFIG_MAP).orElse(null);
        try {
            if (current == null) {
                ctx.client().configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
                        .withName(CONFIG_MAP).withNamespace(namespace)
                        .addToAnnotations(DESCRIPTION_ANNOTATION, DESCRIPTION).endMetadata().withData(data).build())
                        .create();
                return;
            }
            Map<String, String> annotations = current.getMetadata().getAnnotations();
            if (data.equals(current.getData()) && annotations != null
                    && !annotations.getOrDefault(DESCRIPTION_ANNOTATION, "").isEmpty()) {
                return;
            }
            Map<String, String> kept = annotations == null ? new HashMap<>() : new HashMap<>(annotations);
            kept.put(DESCRIPTION_ANNOTATION, DESCRIPTION);
            ctx.client().configMaps().inNamespace(namespace).resource(new ConfigMapBuilder(current).editMetadata()
                    .withAnnotations(kept).endMetadata().withData(data).build()).update();
        } catch (KubernetesClientException e) {
            // 409: created or changed meanwhile, the watch brings that change here again; 404: the namespace went
            if (e.getCode() != 409 && e.getCode() != 404) {
                throw e;
            }
        }
    }

    private static boolean active(Namespace namespace) {
        return namespace.getMetadata().getDeletionTimestamp() == null && (namespace.getStatus() == null
                || namespace.getStatus().getPhase() == null || "Active".equals(namespace.getStatus().getPhase()));
    }
}
