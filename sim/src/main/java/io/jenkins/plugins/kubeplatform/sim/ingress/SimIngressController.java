package io.jenkins.plugins.kubeplatform.sim.ingress;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerStatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import java.time.Duration;
import java.util.Objects;

/**
 * An ingress controller for one IngressClass (default {@code nginx}, marked as the default class): like
 * ingress-nginx it admits every Ingress of its class, or without a class, by publishing its load balancer address
 * in {@code status.loadBalancer.ingress} after a short sync delay. Ingresses of other classes stay without address.
 */
public final class SimIngressController implements SimController {

    public static final String DEFAULT_CLASS = "nginx";
    /** Loopback: the simulated load balancer must never send real traffic anywhere. */
    public static final String DEFAULT_ADDRESS = "127.0.0.1";
    static final Duration SYNC_DELAY = Duration.ofMillis(200);

    private final String className;
    private final String address;
    private SimContext context;

    public SimIngressController() {
        this(DEFAULT_CLASS, DEFAULT_ADDRESS);
    }

    public SimIngressController(String className, String address) {
        this.className = className;
        this.address = address;
    }

    @Override
    public String name() {
        return "ingress-" + className;
    }

    @Override
    public void start(SimContext ctx) {
        this.context = ctx;
        KubernetesClient client = ctx.client();
        if (client.network().v1().ingressClasses().withName(className).get() == null) {
            client.network().v1().ingressClasses().resource(new IngressClassBuilder()
                    .withNewMetadata().withName(className)
                    .addToAnnotations("ingressclass.kubernetes.io/is-default-class", "true").endMetadata()
                    .withNewSpec().withController("k8s.io/ingress-nginx").endSpec().build()).create();
        }
        ctx.observe(client.network().v1().ingresses().inAnyNamespace(), this::changed);
    }

    private void changed(Ingress ingress) {
        String cls = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
        if (cls != null && !cls.equals(className) || admitted(ingress)) {
            return;
        }
        String ns = ingress.getMetadata().getNamespace();
        String name = ingress.getMetadata().getName();
        context.after(SYNC_DELAY, () -> admit(ns, name));
    }

    private void admit(String ns, String name) {
        var resource = context.client().network().v1().ingresses().inNamespace(ns).withName(name);
        Ingress live = resource.get();
        if (live == null || admitted(live)) {
            return;
        }
        live.setStatus(new IngressStatusBuilder().withLoadBalancer(new IngressLoadBalancerStatusBuilder()
                .withIngress(new IngressLoadBalancerIngressBuilder().withIp(address).build()).build()).build());
        try {
            context.client().network().v1().ingresses().inNamespace(ns).resource(live).updateStatus();
            context.events().normal(live, "Sync", "Scheduled for sync");
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 404) {
                throw e;
            }
            // changed or deleted meanwhile: the watch brings the new version
        }
    }

    private boolean admitted(Ingress ingress) {
        return ingress.getStatus() != null && ingress.getStatus().getLoadBalancer() != null
                && ingress.getStatus().getLoadBalancer().getIngress() != null
                && ingress.getStatus().getLoadBalancer().getIngress().stream().anyMatch(i -> Objects.equals(address, i.getIp()));
    }
}
