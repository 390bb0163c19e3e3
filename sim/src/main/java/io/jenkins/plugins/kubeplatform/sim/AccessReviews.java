package io.jenkins.plugins.kubeplatform.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;

/**
 * {@code SelfSubjectAccessReview} and {@code SelfSubjectRulesReview} ({@code kubectl auth can-i}), answered from
 * the RBAC authorizer when the cluster runs with {@link SimOptions#rbac()}; without it every request is allowed,
 * so every review answers allowed and the rules review lists the wildcard rule that describes that.
 */
final class AccessReviews {

    MockResponse review(RecordedRequest request, ApiPath path, io.jenkins.plugins.kubeplatform.sim.auth.UserInfo subject,
            io.jenkins.plugins.kubeplatform.sim.rbac.RbacAuthorizer authorizer) {
        ObjectNode review;
        try {
            JsonNode body = ApiSemantics.JSON.readTree(request.getBody().readUtf8());
            if (!(body instanceof ObjectNode o)) {
                return StatusResponses.status(400, "BadRequest", "the request body is not an object", null);
            }
            review = o;
        } catch (IOException e) {
            return StatusResponses.status(400, "BadRequest", "the body of the request could not be decoded: "
                    + e.getMessage(), null);
        }
        review.put("apiVersion", "authorization.k8s.io/v1");
        ObjectNode meta = review.with("metadata");
        meta.put("creationTimestamp", (String) null);
        ObjectNode status = review.putObject("status");
        if (path.resource().equals("selfsubjectaccessreviews")) {
            review.put("kind", "SelfSubjectAccessReview");
            JsonNode a = review.path("spec").path("resourceAttributes");
            boolean allowed = authorizer == null || subject == null || authorizer.allowed(subject.user(),
                    subject.groups(), new io.jenkins.plugins.kubeplatform.sim.rbac.ResourceRequest(
                            a.path("verb").asText(""), a.path("group").asText(""), a.path("resource").asText(""),
                            a.path("subresource").asText(""), a.path("namespace").asText(""),
                            a.path("name").asText("")));
            status.put("allowed", allowed);
        } else if (path.resource().equals("selfsubjectrulesreviews")) {
            review.put("kind", "SelfSubjectRulesReview");
            com.fasterxml.jackson.databind.node.ArrayNode rules = status.putArray("resourceRules");
            if (authorizer == null || subject == null) {
                ObjectNode rule = rules.addObject();
                rule.putArray("verbs").add("*");
                rule.putArray("apiGroups").add("*");
                rule.putArray("resources").add("*");
            } else {
                for (io.jenkins.plugins.kubeplatform.sim.rbac.RbacPolicy.Rule r : authorizer.rulesFor(subject.user(),
                        subject.groups(), review.path("spec").path("namespace").asText(""))) {
                    ObjectNode rule = rules.addObject();
                    r.verbs().forEach(rule.withArray("verbs")::add);
                    r.apiGroups().forEach(rule.withArray("apiGroups")::add);
                    r.resources().forEach(rule.withArray("resources")::add);
                    if (!r.resourceNames().isEmpty()) {
                        r.resourceNames().forEach(rule.withArray("resourceNames")::add);
                    }
                }
            }
            ObjectNode nonResource = status.putArray("nonResourceRules").addObject();
            nonResource.putArray("verbs").add("*");
            nonResource.putArray("nonResourceURLs").add("*");
            status.put("incomplete", false);
        } else {
            return ApiSemantics.notFound(path);
        }
        return StatusResponses.json(201, review.toString());
    }
}
