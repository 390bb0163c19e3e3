package io.jenkins.plugins.kubeplatform.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.Set;

/**
 * Writes with {@code ?dryRun=All}, answered as the API server answers them: checked against what exists
 * (create of an existing name → 409 AlreadyExists, update/patch/delete of a missing one → 404) and returned as
 * they would be stored, but never stored. Not simulated: admission webhooks and schema validation.
 */
final class DryRunWrites {

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DryRunWrites() {
    }

    static boolean applies(String method, String query) {
        if (!WRITES.contains(method) || query == null) {
            return false;
        }
        for (String param : query.split("&")) {
            if (param.equals("dryRun=All")) {
                return true;
            }
        }
        return false;
    }

    static MockResponse answer(Dispatcher store, RecordedRequest request, ApiPath path) {
        String method = request.getMethod();
        String base = request.getPath().split("\\?", 2)[0];
        try {
            if (method.equals("POST")) {
                JsonNode body = JSON.readTree(request.getUtf8Body());
                String name = body.path("metadata").path("name").asText("");
                if (!name.isEmpty() && get(store, request, base + "/" + name).code() == 200) {
                    return StatusResponses.status(409, "AlreadyExists", path.resource() + " \"" + name
                            + "\" already exists", null);
                }
                return StatusResponses.json(201, request.getUtf8Body());
            }
            MockResponse existing = get(store, request, base);
            if (existing.code() != 200) {
                return existing;
            }
            return method.equals("PUT") ? StatusResponses.json(200, request.getUtf8Body()) : existing;
        } catch (IOException e) {
            return StatusResponses.status(400, "BadRequest", "the request body is not JSON", null);
        }
    }

    private static MockResponse get(Dispatcher store, RecordedRequest request, String path) {
        return store.dispatch(new RecordedRequest(request.getHttpVersion(), io.fabric8.mockwebserver.dsl.HttpMethod.GET, path, request.getHeaders(),
                new Buffer()));
    }
}
