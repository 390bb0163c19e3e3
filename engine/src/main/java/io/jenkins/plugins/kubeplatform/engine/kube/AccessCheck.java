package io.jenkins.plugins.kubeplatform.engine.kube;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The permission pre-check every step runs before it changes anything: one {@code SelfSubjectAccessReview} per
 * permission it needs ({@code kubectl auth can-i}), and a failure naming every missing permission at once, each as
 * the API server's 403 would (verb, resource, API group, namespace or cluster scope). A server that does not answer
 * access reviews (404, or reviews themselves forbidden) is not checked: the step then meets a 403 where it happens.
 */
public final class AccessCheck {

    /**
     * One permission.
     *
     * @param group "" for the core group
     * @param subresource "" for the resource itself
     * @param namespace "" for cluster-scoped resources and for namespaced ones in every namespace
     */
    public record Permission(String verb, String group, String resource, String subresource, String namespace) {

        /** {@code verb} on {@code resource} (optionally {@code resource/subresource}) of {@code group}, cluster-wide. */
        public static Permission cluster(String verb, String group, String resource) {
            return in("", verb, group, resource);
        }

        /** {@code verb} on {@code resource} (optionally {@code resource/subresource}) in {@code namespace}. */
        public static Permission in(String namespace, String verb, String group, String resource) {
            int slash = resource.indexOf('/');
            return slash < 0 ? new Permission(verb, group, resource, "", namespace)
                    : new Permission(verb, group, resource.substring(0, slash), resource.substring(slash + 1), namespace);
        }

        /** {@code cannot list resource "pods" in API group "" in the namespace "shop"}, as the 403 message says it. */
        public String describe() {
            return "cannot " + verb + " resource \"" + (subresource.isEmpty() ? resource : resource + "/" + subresource)
                    + "\" in API group \"" + group + "\"" + (namespace.isEmpty() ? " at the cluster scope"
                    : " in the namespace \"" + namespace + "\"");
        }
    }

    private AccessCheck() {
    }

    /**
     * Asks the API server whether the client may do each of {@code needed}; throws naming {@code capability} and
     * every permission it lacks. Sends nothing but access reviews.
     */
    public static void require(KubernetesClient client, ApiRetry retry, String capability,
                               Collection<Permission> needed) {
        List<String> missing = missing(client, retry, needed);
        if (!missing.isEmpty()) {
            throw new OperationFailedException(capability + " cannot run with this cluster credential: it lacks "
                    + missing.size() + " permission(s) the step needs, so nothing was changed. The credential "
                    + String.join("; ", missing) + ". Grant them (docs/rbac.yaml, role kubeplatform-"
                    + capability + "*; check with kubectl auth can-i).");
        }
    }

    /**
     * The permissions of {@code needed} the client lacks, each as {@link Permission#describe()} says it; empty also
     * where the server answers no access reviews. Sends nothing but access reviews.
     */
    public static List<String> missing(KubernetesClient client, ApiRetry retry, Collection<Permission> needed) {
        List<String> missing = new ArrayList<>();
        for (Permission p : new LinkedHashSet<>(needed)) {
            SelfSubjectAccessReview answer;
            try {
                SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder()
                        .withNewSpec().withNewResourceAttributes().withVerb(p.verb()).withGroup(p.group())
                        .withResource(p.resource()).withSubresource(p.subresource().isEmpty() ? null : p.subresource())
                        .withNamespace(p.namespace().isEmpty() ? null : p.namespace()).endResourceAttributes()
                        .endSpec().build();
                // an access review writes nothing: retrying it after a transient failure is always safe
                answer = retry.call("check whether the credential may " + p.describe(),
                        () -> client.authorization().v1().selfSubjectAccessReview().create(review));
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404 || e.getCode() == 403 || e.getCode() == 405) {
                    return List.of(); // no access reviews here (very old server, or reviews not allowed): not checked
                }
                throw e;
            }
            if (answer.getStatus() == null || !Boolean.TRUE.equals(answer.getStatus().getAllowed())) {
                missing.add(p.describe());
            }
        }
        return missing;
    }
}
