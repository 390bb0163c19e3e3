package io.jenkins.plugins.kubeplatform.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;

/**
 * {@code SelfSubjectAccessReview} and {@code SelfSubjectRulesReview} ({@code kubectl auth can-i}). This server does
 * not authorize (every request is allowed), so every review answers allowed, and the rules review lists the
 * wildcard rule that describes that.
 */
final class AccessReviews {

    MockResponse review(RecordedRequest request, ApiPath path) {
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
            status.put("allowed", true);
        } else if (path.resource().equals("selfsubjectrulesreviews")) {
            review.put("kind", "SelfSubjectRulesReview");
            ObjectNode rule = status.putArray("resourceRules").addObject();
            rule.putArray("verbs").add("*");
            rule.putArray("apiGroups").add("*");
            rule.putArray("resources").add("*");
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
