package io.jenkins.plugins.kubeplatform.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.jenkins.plugins.kubeplatform.store.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The one document that {@code -o json} and {@code -o yaml} print: {@code apiVersion}, {@code kind} (from the
 * command, e.g. {@code IpLedgerList}), then the command's fields. Timestamps are RFC 3339 UTC strings, durations
 * human strings ({@code 30m}).
 */
public final class Output {

    public static final String API_VERSION = "kubeplatform.jenkins.io/v1";

    private static final SimpleModule HUMAN_TIME = new SimpleModule("human-time")
            .addSerializer(Duration.class, new JsonSerializer<>() {
                @Override
                public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                    gen.writeString(Human.duration(value));
                }
            })
            .addSerializer(Instant.class, new JsonSerializer<>() {
                @Override
                public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                    gen.writeString(Human.timestamp(value));
                }
            });
    private static final ObjectMapper JSON = Json.mapper().copy().registerModule(HUMAN_TIME);
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build())
            .findAndRegisterModules()
            .registerModule(HUMAN_TIME);

    private Output() {
    }

    /** The document for {@code value}, ending with a newline. */
    static String document(OutputFormat format, String kind, Object value) {
        JsonNode tree = JSON.valueToTree(value);
        ObjectNode doc = JSON.createObjectNode();
        doc.put("apiVersion", API_VERSION);
        doc.put("kind", kind);
        if (tree instanceof ObjectNode fields) {
            fields.remove("apiVersion");
            fields.remove("kind");
            doc.setAll(fields);
        } else {
            doc.set("items", tree);
        }
        try {
            return format == OutputFormat.YAML ? YAML.writeValueAsString(doc) : JSON.writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("result is not serializable", e);
        }
    }

    /** {@code kubeplatform ip-ledger list} → {@code IpLedgerList}. */
    static String kind(CommandSpec spec) {
        if (spec == null) {
            return "Result";
        }
        StringBuilder kind = new StringBuilder();
        String[] words = spec.qualifiedName().split("[ -]");
        for (int i = 1; i < words.length; i++) {
            if (!words[i].isEmpty()) {
                kind.append(words[i].substring(0, 1).toUpperCase(Locale.ROOT)).append(words[i].substring(1));
            }
        }
        return kind.length() == 0 ? "Result" : kind.toString();
    }
}
