package io.jenkins.plugins.kubeplatform.sim.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of an object that its schema does not declare, named as kube-apiserver's strict decoding names them
 * ({@code spec.template.spec.containers[0].bogus}). Maps ({@code additionalProperties}) and
 * {@code x-kubernetes-preserve-unknown-fields} accept any key; in a patch, {@code null} deletes and the strategic
 * merge patch directives ({@code $patch}, {@code $retainKeys}, {@code $setElementOrder/...},
 * {@code $deleteFromPrimitiveList/...}) are not fields.
 */
public final class UnknownFields {

    private final ModelSchemas schemas;

    public UnknownFields(ModelSchemas schemas) {
        this.schemas = schemas;
    }

    /** Unknown field paths of {@code object} against the definition {@code definition}, in document order. */
    public List<String> of(JsonNode object, String definition, boolean patch) {
        List<String> out = new ArrayList<>();
        Optional<? extends JsonNode> schema = schemas.definition(definition);
        schema.ifPresent(s -> walk(object, s, "", patch, out));
        return out;
    }

    /** Unknown field paths of {@code object} against an inline schema (a CRD's {@code openAPIV3Schema}). */
    public List<String> of(JsonNode object, JsonNode schema, boolean patch) {
        List<String> out = new ArrayList<>();
        walk(object, schema, "", patch, out);
        return out;
    }

    private void walk(JsonNode value, JsonNode schema, String path, boolean patch, List<String> out) {
        JsonNode resolved = resolve(schema);
        if (resolved == null || value == null || value.isNull()
                || resolved.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return;
        }
        if (value.isArray() && resolved.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                walk(value.get(i), resolved.get("items"), path + "[" + i + "]", patch, out);
            }
            return;
        }
        if (!value.isObject()) {
            return;
        }
        JsonNode properties = resolved.get("properties");
        JsonNode additional = resolved.get("additionalProperties");
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            String child = path.isEmpty() ? key : path + "." + key;
            if (patch && (key.startsWith("$") || field.getValue().isNull())) {
                continue;
            }
            if (properties != null && properties.has(key)) {
                walk(field.getValue(), properties.get(key), child, patch, out);
            } else if (additional != null && additional.isObject()) {
                walk(field.getValue(), additional, child, patch, out);
            } else if (properties != null) {
                out.add(child);
            }
        }
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode current = schema;
        for (int depth = 0; depth < 8 && current != null && current.has("$ref"); depth++) {
            String ref = current.get("$ref").asText();
            current = schemas.definition(ref.substring(ref.lastIndexOf('/') + 1)).orElse(null);
        }
        return current;
    }
}
