package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;

/** Kubernetes {@code Status} responses, shaped like the real API server's. */
final class StatusResponses {

    static final KubernetesSerialization JSON = new KubernetesSerialization();

    private StatusResponses() {
    }

    static MockResponse fault(int code, String verb, String path) {
        String reason = switch (code) {
            case 409 -> "Conflict";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            default -> "InternalError";
        };
        String message = switch (code) {
            case 409 -> "Operation cannot be fulfilled: the object has been modified; please apply your changes to "
                    + "the latest version and try again (simulated fault on " + verb + " " + path + ")";
            case 429 -> "the server has received too many requests and has asked us to try again later "
                    + "(simulated fault on " + verb + " " + path + ")";
            case 503 -> "the server is currently unable to handle the request (simulated fault on " + verb + " "
                    + path + ")";
            default -> "an error on the server has prevented the request from succeeding (simulated fault on "
                    + verb + " " + path + ")";
        };
        boolean retryAfter = code == 429 || code == 503;
        StatusBuilder status = new StatusBuilder().withNewMetadata().endMetadata().withStatus("Failure")
                .withMessage(message).withReason(reason).withCode(code);
        if (retryAfter) {
            // like the API server, in the header and in the Status details
            status.withNewDetails().withRetryAfterSeconds(1).endDetails();
        }
        MockResponse response = status(code, reason, message, status.build());
        if (retryAfter) {
            response.setHeader("Retry-After", "1");
        }
        return response;
    }

    static MockResponse status(int code, String reason, String message, Status details) {
        Status status = details != null ? details
                : new StatusBuilder().withNewMetadata().endMetadata().withStatus(code < 300 ? "Success" : "Failure")
                        .withMessage(message).withReason(reason).withCode(code).build();
        return json(code, JSON.asJson(status));
    }

    static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }
}
