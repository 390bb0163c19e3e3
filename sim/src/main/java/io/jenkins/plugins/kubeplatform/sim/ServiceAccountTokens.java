package io.jenkins.plugins.kubeplatform.sim;

import io.jenkins.plugins.kubeplatform.sim.auth.SimTokens;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The token controller of kube-controller-manager for long-lived service account tokens: a Secret of type
 * {@code kubernetes.io/service-account-token} whose annotation {@code kubernetes.io/service-account.name} names a
 * service account of its namespace gets {@code data.token} and {@code data.namespace} and the annotation
 * {@code kubernetes.io/service-account.uid}; the token authenticates as that service account (through the cluster's
 * {@link SimTokens}) for as long as the Secret exists. A Secret naming a service account that does not exist is
 * deleted, as the real controller does. Tokens the controller did not issue are never accepted.
 */
final class ServiceAccountTokens implements SimController {

    static final String TYPE = "kubernetes.io/service-account-token";
    static final String NAME_ANNOTATION = "kubernetes.io/service-account.name";
    static final String UID_ANNOTATION = "kubernetes.io/service-account.uid";
    private static final Logger LOG = Logger.getLogger(ServiceAccountTokens.class.getName());

    private final SimTokens tokens;
    /** Issued token per Secret {@code namespace/name}, so it can be revoked when the Secret goes. */
    private final Map<String, String> issued = new ConcurrentHashMap<>();
    private SimContext ctx;

    ServiceAccountTokens(SimTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public String name() {
        return "token-controller";
    }

    @Override
    public void start(SimContext context) {
        this.ctx = context;
        context.observe(context.client().secrets().inAnyNamespace(), new ChangeHandler<>() {
            @Override
            public void changed(Secret secret) {
                sync(secret);
            }

            @Override
            public void deleted(Secret secret) {
                String token = issued.remove(key(secret));
                if (token != null) {
                    tokens.revoke(token);
                }
            }
        });
    }

    private static String key(Secret s) {
        return s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
    }

    private void sync(Secret secret) {
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        if (!TYPE.equals(secret.getType()) || annotations == null || annotations.get(NAME_ANNOTATION) == null) {
            return;
        }
        String namespace = secret.getMetadata().getNamespace();
        String account = annotations.get(NAME_ANNOTATION);
        String current = secret.getData() == null ? null : secret.getData().get("token");
        String mine = issued.get(key(secret));
        if (mine != null && mine.equals(decode(current))) {
            return;
        }
        ServiceAccount sa = ctx.client().serviceAccounts().inNamespace(namespace).withName(account).get();
        try {
            if (sa == null) {
                ctx.client().secrets().inNamespace(namespace).withName(secret.getMetadata().getName()).delete();
                return;
            }
            String token = tokens.fresh("sim-sa-");
            ctx.client().secrets().inNamespace(namespace).withName(secret.getMetadata().getName()).edit(s -> {
                Map<String, String> data = s.getData() == null ? new HashMap<>() : new HashMap<>(s.getData());
                data.put("token", Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
                data.put("namespace", Base64.getEncoder().encodeToString(namespace.getBytes(StandardCharsets.UTF_8)));
                s.setData(data);
                s.getMetadata().getAnnotations().put(UID_ANNOTATION, sa.getMetadata().getUid());
                return s;
            });
            String previous = issued.put(key(secret), token);
            if (previous != null) {
                tokens.revoke(previous);
            }
            tokens.secretToken(token, namespace, secret.getMetadata().getName(), account);
        } catch (KubernetesClientException e) {
            LOG.log(Level.FINE, "token for " + key(secret) + " not issued yet", e);
        }
    }

    private static String decode(String base64) {
        if (base64 == null) {
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
