package io.jenkins.plugins.kubeplatform.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code Accept} and {@code Content-Type} as kube-apiserver handles them, for the media types this server speaks
 * (JSON, YAML, and {@code as=Table} server-side printing): protobuf is skipped in {@code Accept} (clients list JSON
 * after it and decode by the response's {@code Content-Type}), a request body in a type it cannot read is a 415
 * and an {@code Accept} naming nothing it can write a 406, each with the real Status.
 */
final class ContentNegotiation {

    /** What the response body is written as. */
    enum Output { JSON, YAML, TABLE, AGGREGATED_DISCOVERY }

    private static final YAMLMapper YAML = new YAMLMapper();
    static final String ACCEPTED = "application/json, application/yaml";

    private ContentNegotiation() {
    }

    /** A 415 for a request body this server cannot decode, if it is one. */
    static Optional<MockResponse> unsupportedBody(RecordedRequest request) {
        String method = request.getMethod();
        if (!method.equals("POST") && !method.equals("PUT")) {
            return Optional.empty();
        }
        String type = mediaType(request.getHeader("Content-Type"));
        if (type.isEmpty() || type.equals("application/json") || type.equals("application/yaml")
                || type.equals("*/*")) {
            return Optional.empty();
        }
        return Optional.of(StatusResponses.status(415, "UnsupportedMediaType", "the body of the request was in an "
                + "unknown format - accepted media types include: " + ACCEPTED, null));
    }

    /**
     * The first media range of {@code Accept} this server can write; empty when none (the caller answers 406).
     * Table is only offered for reads of resources.
     */
    static Optional<Output> choose(String accept, boolean tableable) {
        return choose(accept, tableable, false);
    }

    /**
     * As {@link #choose(String, boolean)}; with {@code discoverable} (a GET of {@code /api} or {@code /apis}) also
     * the aggregated discovery document ({@code as=APIGroupDiscoveryList;g=apidiscovery.k8s.io;v=v2}).
     */
    static Optional<Output> choose(String accept, boolean tableable, boolean discoverable) {
        if (accept == null || accept.isBlank()) {
            return Optional.of(Output.JSON);
        }
        for (String range : accept.split(",")) {
            String[] parts = range.trim().split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            String as = "";
            String group = "";
            String version = "";
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.startsWith("as=")) {
                    as = p.substring(3);
                } else if (p.startsWith("g=")) {
                    group = p.substring(2);
                } else if (p.startsWith("v=")) {
                    version = p.substring(2);
                }
            }
            boolean json = type.equals("application/json") || type.equals("application/*") || type.equals("*/*");
            if (json && as.isEmpty()) {
                return Optional.of(Output.JSON);
            }
            if (json && as.equals("Table") && group.equals("meta.k8s.io") && tableable) {
                return Optional.of(Output.TABLE);
            }
            if (json && as.equals("APIGroupDiscoveryList") && group.equals("apidiscovery.k8s.io")
                    && version.equals("v2") && discoverable) {
                return Optional.of(Output.AGGREGATED_DISCOVERY);
            }
            if (type.equals("application/yaml") && as.isEmpty()) {
                return Optional.of(Output.YAML);
            }
        }
        return Optional.empty();
    }

    /** Whether the request body is Kubernetes protobuf (decoded by {@link ProtobufBodies}). */
    static boolean isProtobuf(RecordedRequest request) {
        return mediaType(request.getHeader("Content-Type")).equals("application/vnd.kubernetes.protobuf");
    }

    static MockResponse notAcceptable() {
        return StatusResponses.status(406, "NotAcceptable", "only the following media types are accepted: "
                + ACCEPTED, null);
    }

    /** Labels an unlabelled JSON body, or rewrites it as YAML when that was asked for. */
    static MockResponse label(MockResponse response, Output output) {
        if (response.getWebSocketListener() != null || response.getBody() == null
                || response.getBody().size() == 0) {
            return response;
        }
        if (output == Output.YAML) {
            try {
                JsonNode node = ApiSemantics.JSON.readTree(response.getBody().readUtf8());
                return response.setBody(YAML.writeValueAsString(node)).setHeader("Content-Type", "application/yaml");
            } catch (IOException e) {
                return response;
            }
        }
        if (response.getHeaders().header("Content-Type") == null) {
            response.setHeader("Content-Type", "application/json");
        }
        return response;
    }

    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi >= 0 ? contentType.substring(0, semi) : contentType).trim().toLowerCase(Locale.ROOT);
    }
}
