package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.sim.ChangeHandler;
import io.jenkins.plugins.kubeplatform.sim.Observed;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;

/**
 * kube-controller-manager's serviceaccount controller (pkg/controller/serviceaccount/serviceaccounts_controller.go):
 * every active namespace has a service account named {@code default}; it is created when the namespace appears and
 * again when someone deletes it ({@code syncNamespace}: nothing for a namespace that is not Active, an
 * AlreadyExists answer is fine).
 */
public final class ServiceAccountsController implements SimController {

    static final String DEFAULT = "default";

    private SimContext ctx;
    private Observed<Namespace> namespaces;
    private Observed<ServiceAccount> accounts;

    @Override
    public String name() {
        return "serviceaccount-controller";
    }

    @Override
    public void start(SimContext context) {
        this.ctx = context;
        this.accounts = ctx.observe(ctx.client().serviceAccounts().inAnyNamespace(), new ChangeHandler<>() {
            @Override
            public void changed(ServiceAccount account) {
            }

            @Override
            public void deleted(ServiceAccount account) {
                if (DEFAULT.equals(account.getMetadata().getName())) {
                    namespaces.get(null, account.getMetadata().getNamespace()).ifPresent(n -> ensure(n));
                }
            }
        });
        this.namespaces = ctx.observe(ctx.client().namespaces(), new ChangeHandler<>() {
            @Override
            public void changed(Namespace namespace) {
                ensure(namespace);
            }
        });
    }

    private void ensure(Namespace namespace) {
        String ns = namespace.getMetadata().getName();
        boolean active = namespace.getMetadata().getDeletionTimestamp() == null && (namespace.getStatus() == null
                || namespace.getStatus().getPhase() == null || "Active".equals(namespace.getStatus().getPhase()));
        if (!active || accounts.get(ns, DEFAULT).isPresent()) {
            return;
        }
        try {
            ctx.client().serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata()
                    .withName(DEFAULT).withNamespace(ns).endMetadata().build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 404) {
                throw e;
            }
        }
    }
}
