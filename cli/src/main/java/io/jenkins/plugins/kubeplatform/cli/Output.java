package io.jenkins.plugins.kubeplatform.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.jenkins.plugins.kubeplatform.engine.core.ResultDocument;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The one document that {@code -o json} and {@code -o yaml} print: {@code apiVersion}, {@code kind} (from the
 * command, e.g. {@code IpLedgerList}), then the command's fields. Timestamps are RFC 3339 UTC strings, durations
 * human strings ({@code 30m}).
 */
public final class Output {

    public static final String API_VERSION = ResultDocument.API_VERSION;

    private static final ObjectMapper JSON = ResultDocument.mapper();
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build())
            .findAndRegisterModules()
            .registerModule(ResultDocument.humanTime());

    private Output() {
    }

    /** The document for {@code value}, ending with a newline. */
    static String document(OutputFormat format, String kind, Object value) {
        ObjectNode doc = ResultDocument.tree(kind, value);
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
