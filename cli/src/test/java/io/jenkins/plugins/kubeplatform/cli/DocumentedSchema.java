package io.jenkins.plugins.kubeplatform.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The "Result documents" table of docs/cli.md, the schema shared by {@code -o json} and the Jenkins build's
 * {@code api/json}, and the field paths of a printed document to compare with it.
 */
public final class DocumentedSchema {

    private DocumentedSchema() {
    }

    /** The fields of {@code kind} (always present, then those documented "when they apply"). */
    public static Set<String> fields(String kind, boolean optional) {
        List<String> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("..", "docs", "cli.md"), StandardCharsets.UTF_8)) {
                if (line.startsWith("| `" + kind + "` |")) {
                    rows.add(line.split("\\|")[2]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (rows.size() != 1) {
            throw new AssertionError("docs/cli.md has " + rows.size() + " rows for " + kind);
        }
        String cell = rows.get(0).replaceAll("\\(also for .*\\)", "");
        int split = cell.indexOf("when they apply:");
        String part = optional ? (split < 0 ? "" : cell.substring(split)) : (split < 0 ? cell : cell.substring(0, split));
        Set<String> fields = new TreeSet<>();
        Matcher m = Pattern.compile("`([^`]+)`").matcher(part);
        while (m.find()) {
            fields.add(m.group(1));
        }
        return fields;
    }

    /** Field paths of a document: {@code name}, {@code list[]} or {@code list[].field}; not apiVersion and kind. */
    public static Set<String> paths(JsonNode document) {
        Set<String> paths = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = document.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("apiVersion") || e.getKey().equals("kind")) {
                continue;
            }
            if (e.getValue().isArray()) {
                if (e.getValue().size() > 0 && e.getValue().get(0).isObject()) {
                    e.getValue().get(0).fieldNames().forEachRemaining(f -> paths.add(e.getKey() + "[]." + f));
                } else {
                    paths.add(e.getKey() + "[]");
                }
            } else {
                paths.add(e.getKey());
            }
        }
        return paths;
    }
}
