package io.jenkins.plugins.kubeplatform.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.jenkins.plugins.kubeplatform.sim.api.QueryParams;
import io.jenkins.plugins.kubeplatform.sim.openapi.ModelSchemas;
import io.jenkins.plugins.kubeplatform.sim.openapi.UnknownFields;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code fieldValidation} query parameter of writes as kube-apiserver applies it to the kinds it has a schema
 * for: {@code Strict} refuses a body with fields the schema does not declare (400, "strict decoding error: unknown
 * field ..."), {@code Warn} (the default) accepts it with one {@code Warning} header per field, {@code Ignore}
 * accepts it silently. kubectl sends {@code Strict} for {@code --validate=strict} (its default).
 */
final class FieldValidation {

    /** The outcome for one request: a refusal, or warnings to attach to the response. */
    record Outcome(Optional<MockResponse> refusal, List<String> warnings) {
        static final Outcome NONE = new Outcome(Optional.empty(), List.of());
    }

    private static final YAMLMapper YAML = new YAMLMapper();
    private final UnknownFields unknown = new UnknownFields(ModelSchemas.get());

    /**
     * Checks a write of {@code kind} against its model schema, or else {@code crdSchema} (the served version's
     * {@code openAPIV3Schema} of a custom resource).
     */
    Outcome check(RecordedRequest request, ApiPath path, String kind, java.util.function.Supplier<Optional<JsonNode>>
            crdSchema) {
        String method = request.getMethod();
        if (!(method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) || path.resource().isEmpty()
                || !(path.subresource().isEmpty() || path.subresource().equals("status")) || kind.isEmpty()) {
            return Outcome.NONE;
        }
        String mode = QueryParams.parse(path.query()).get("fieldValidation").orElse("Warn");
        if (mode.equalsIgnoreCase("Ignore")) {
            return Outcome.NONE;
        }
        String type = ContentNegotiation.mediaType(request.getHeader("Content-Type"));
        if (type.equals("application/json-patch+json")) {
            return Outcome.NONE;
        }
        if (request.getBody() == null || request.getBody().size() == 0) {
            return Outcome.NONE;
        }
        Optional<String> definition = ModelSchemas.get().kindDefinition(path.group(), path.version(), kind);
        Optional<JsonNode> inline = definition.isPresent() ? Optional.empty() : crdSchema.get();
        if (definition.isEmpty() && inline.isEmpty()) {
            return Outcome.NONE;
        }
        JsonNode body;
        try {
            String text = new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
            body = type.contains("yaml") ? YAML.readTree(text) : ApiSemantics.JSON.readTree(text);
        } catch (IOException e) {
            return Outcome.NONE; // the handler answers the malformed body
        }
        if (body == null || !body.isObject()) {
            return Outcome.NONE;
        }
        boolean patch = method.equals("PATCH");
        List<String> fields = definition.isPresent() ? unknown.of(body, definition.get(), patch)
                : unknown.of(body, inline.get(), patch);
        if (fields.isEmpty()) {
            return Outcome.NONE;
        }
        List<String> messages = fields.stream().map(f -> "unknown field \"" + f + "\"").toList();
        if (mode.toLowerCase(Locale.ROOT).equals("strict")) {
            String message = kind + " in version \"" + path.version() + "\" cannot be handled as a " + kind
                    + ": strict decoding error: " + messages.stream().collect(Collectors.joining(", "));
            return new Outcome(Optional.of(StatusResponses.status(400, "BadRequest", message, null)), List.of());
        }
        return new Outcome(Optional.empty(), messages);
    }

    /** Adds the {@code Warning} headers ({@code 299 - "text"}) a real server sends. */
    static MockResponse warn(MockResponse response, List<String> warnings) {
        for (String w : warnings) {
            response.addHeader("Warning", "299 - \"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        return response;
    }
}
