package io.jenkins.plugins.kubeplatform.engine.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one result schema of the CLI's {@code -o json}/{@code -o yaml} and the Jenkins build's {@code api/json}:
 * {@code apiVersion}, {@code kind}, then the result's fields; timestamps as RFC 3339 UTC strings, durations as human
 * strings ({@code 30m}). Documented in docs/cli.md; fields are only ever added within an {@code apiVersion}.
 */
public final class ResultDocument {

    public static final String API_VERSION = "kubeplatform.jenkins.io/v1";

    private static final SimpleModule HUMAN_TIME = new SimpleModule("human-time")
            .addSerializer(Duration.class, new JsonSerializer<>() {
                @Override
                public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                    gen.writeString(HumanTime.duration(value));
                }
            })
            .addSerializer(Instant.class, new JsonSerializer<>() {
                @Override
                public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                    gen.writeString(HumanTime.timestamp(value));
                }
            });

    private static final ObjectMapper JSON = Json.mapper().copy().registerModule(HUMAN_TIME);

    private ResultDocument() {
    }

    /** The serializers for timestamps and durations every document uses. */
    public static SimpleModule humanTime() {
        return HUMAN_TIME;
    }

    /** The JSON mapping of documents. */
    public static ObjectMapper mapper() {
        return JSON;
    }

    /** The document of {@code value} (a result record or a map of fields) under {@code kind}. */
    public static ObjectNode tree(String kind, Object value) {
        JsonNode fields = JSON.valueToTree(value);
        ObjectNode doc = JSON.createObjectNode();
        doc.put("apiVersion", API_VERSION);
        doc.put("kind", kind);
        if (fields instanceof ObjectNode object) {
            object.remove("apiVersion");
            object.remove("kind");
            doc.setAll(object);
        } else {
            doc.set("items", fields);
        }
        return doc;
    }

    /** {@link #tree} as JSON text. */
    public static String json(String kind, Object value) {
        try {
            return JSON.writeValueAsString(tree(kind, value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("result is not serializable", e);
        }
    }

    /** A document's JSON text as plain maps, lists, strings, numbers and booleans. */
    public static Map<String, Object> parse(String json) {
        if (json == null || json.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not a result document", e);
        }
    }
}
