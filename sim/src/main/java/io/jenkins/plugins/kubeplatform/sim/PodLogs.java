package io.jenkins.plugins.kubeplatform.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.mockwebserver.http.MockResponse;
import io.jenkins.plugins.kubeplatform.sim.api.QueryParams;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET pods/{name}/log}: simulated containers print nothing of their own, so the log is what the simulated
 * kubelet recorded for the container (image, node, start and restarts, from the container status), one line per
 * fact. Errors are the API server's: a pod with several containers needs {@code container=}, a container that
 * has not started is a 400 naming its waiting reason.
 */
final class PodLogs {

    private PodLogs() {
    }

    static MockResponse log(JsonNode pod, ApiPath path, QueryParams q) {
        List<String> names = new ArrayList<>();
        pod.path("spec").path("containers").forEach(c -> names.add(c.path("name").asText()));
        String container = q.getOrEmpty("container");
        String podName = pod.path("metadata").path("name").asText();
        if (container.isEmpty()) {
            if (names.size() != 1) {
                return StatusResponses.status(400, "BadRequest", "a container name must be specified for pod "
                        + podName + ", choose one of: " + names.toString().replace(",", ""), null);
            }
            container = names.get(0);
        }
        if (!names.contains(container)) {
            return StatusResponses.status(400, "BadRequest", "container " + container + " is not valid for pod "
                    + podName, null);
        }
        JsonNode status = null;
        for (JsonNode s : pod.path("status").path("containerStatuses")) {
            if (s.path("name").asText().equals(container)) {
                status = s;
            }
        }
        JsonNode running = status == null ? null : status.path("state").path("running");
        if (status == null || running == null || running.isMissingNode()) {
            String reason = status == null ? "ContainerCreating"
                    : status.path("state").path("waiting").path("reason").asText("ContainerCreating");
            return StatusResponses.status(400, "BadRequest", "container \"" + container + "\" in pod \"" + podName
                    + "\" is waiting to start: " + reason, null);
        }
        String image = status.path("image").asText();
        String node = pod.path("spec").path("nodeName").asText();
        StringBuilder log = new StringBuilder();
        String started = running.path("startedAt").asText("");
        boolean timestamps = q.flag("timestamps");
        int restarts = status.path("restartCount").asInt();
        List<String> lines = new ArrayList<>();
        lines.add("simulated container " + container + " (image " + image + ") started on " + node
                + " with IP " + pod.path("status").path("podIP").asText("<none>"));
        if (restarts > 0) {
            lines.add("restarted " + restarts + " time(s)");
        }
        for (String line : lines) {
            if (timestamps) {
                log.append(started).append(' ');
            }
            log.append(line).append('\n');
        }
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain")
                .setBody(log.toString());
    }
}
