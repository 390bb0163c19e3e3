package io.jenkins.plugins.kubeplatform.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Defaults the API server fills in on create, applied to the request body before the CRUD store sees it:
 * a Service gets its cluster IP (from 10.96.0.0/12) at creation, as the real allocator does, so later updates by
 * the creator do not conflict with an asynchronous allocation.
 */
final class Admission {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long FIRST = (10L << 24) | (96L << 16) | 10;
    private static final long LAST = (10L << 24) | (111L << 16) | (255L << 8) | 254;

    private final Set<Long> allocated = new HashSet<>();
    private long next = FIRST;

    synchronized RecordedRequest serviceCreate(RecordedRequest request) {
        try {
            JsonNode body = JSON.readTree(request.getUtf8Body());
            if (!(body instanceof ObjectNode service)) {
                return request;
            }
            ObjectNode spec = service.has("spec") && service.get("spec").isObject() ? (ObjectNode) service.get("spec")
                    : service.putObject("spec");
            String type = spec.path("type").asText("ClusterIP");
            String clusterIp = spec.path("clusterIP").asText("");
            if (type.equals("ExternalName") || !clusterIp.isEmpty()) {
                return request;
            }
            String ip = allocate();
            spec.put("clusterIP", ip);
            spec.putArray("clusterIPs").add(ip);
            if (!spec.has("type")) {
                spec.put("type", "ClusterIP");
            }
            return new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(),
                    request.getHeaders(), new Buffer(JSON.writeValueAsBytes(service)));
        } catch (IOException | RuntimeException e) {
            return request;
        }
    }

    private String allocate() {
        while (allocated.contains(next)) {
            next = next >= LAST ? FIRST : next + 1;
        }
        allocated.add(next);
        long ip = next;
        return ((ip >> 24) & 255) + "." + ((ip >> 16) & 255) + "." + ((ip >> 8) & 255) + "." + (ip & 255);
    }
}
