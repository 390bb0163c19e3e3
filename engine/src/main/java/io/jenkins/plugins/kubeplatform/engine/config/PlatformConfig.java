package io.jenkins.plugins.kubeplatform.engine.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The platform configuration file (YAML) for the CLI: exactly the Jenkins Configuration as Code shape of the plugin's
 * global configurations (sections {@code kubePlatform}, {@code stickyIp}, {@code domains}, {@code repair},
 * {@code edgeVms}; see {@link CascShape} and docs/configuration.md). The file is mapped once onto the internal
 * section structure, which each capability binds ({@code kubePlatform}, {@code stickyIp}, {@code domains}, {@code repair}
 * with their declared schemas; {@code edge} and the older top-level {@code clusters} and {@code pools} with
 * {@link #section}).
 */
public final class PlatformConfig {

    /** A configuration file is small; these caps stop a hostile one (alias bombs, huge or deep documents). */
    static final int MAX_BYTES = 1 << 20;
    static final int MAX_ALIASES = 50;
    static final int MAX_DEPTH = 50;

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder().loaderOptions(loaderOptions())
            .build());

    private static org.yaml.snakeyaml.LoaderOptions loaderOptions() {
        org.yaml.snakeyaml.LoaderOptions options = new org.yaml.snakeyaml.LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setCodePointLimit(MAX_BYTES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setAllowDuplicateKeys(false);
        return options;
    }

    private final String source;
    private final JsonNode root;

    private PlatformConfig(String source, JsonNode root) {
        this.source = source;
        this.root = root;
    }

    public static PlatformConfig empty() {
        return new PlatformConfig("(no configuration)", Json.mapper().createObjectNode());
    }

    public static PlatformConfig load(Path file) {
        if (Files.isDirectory(file)) {
            throw new InvalidInputException("--config", "names a directory (" + file + "); give the YAML file");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("--config", "must name a readable YAML file; " + file + " does not exist");
        }
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidInputException("--config", file + " is " + Files.size(file) + " bytes; a configuration "
                        + "file may have at most " + MAX_BYTES);
            }
            return parse(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new InvalidInputException("--config", "could not read " + file + ": " + e.getMessage());
        }
    }

    public static PlatformConfig parse(String source, String yaml) {
        rejectAliases(source, yaml);
        try {
            JsonNode root = YAML.readTree(yaml);
            if (root == null || root.isMissingNode() || root.isNull()) {
                return new PlatformConfig(source, Json.mapper().createObjectNode());
            }
            if (!root.isObject()) {
                throw new InvalidInputException("--config", source + " must be a YAML mapping at the top level");
            }
            return new PlatformConfig(source, CascShape.toInternal(source, (ObjectNode) root));
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("--config", source + " is not valid YAML: " + e.getOriginalMessage());
        } catch (RuntimeException e) {
            if (e instanceof InvalidInputException invalid) {
                throw invalid;
            }
            // SnakeYAML's limits (aliases, size, depth) surface as its own runtime exceptions
            throw new InvalidInputException("--config", source + " is refused: " + e.getMessage());
        }
    }

    /**
     * Jackson reads a YAML alias ({@code *name}) as the string "name" instead of the anchored value, so an alias
     * would silently configure something else (and an alias bomb must never be expanded): aliases are refused.
     */
    private static void rejectAliases(String source, String yaml) {
        int aliases = 0;
        try {
            for (org.yaml.snakeyaml.events.Event event : new org.yaml.snakeyaml.Yaml(loaderOptions())
                    .parse(new java.io.StringReader(yaml))) {
                if (event instanceof org.yaml.snakeyaml.events.AliasEvent) {
                    aliases++;
                }
            }
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new InvalidInputException("--config", source + " is not valid YAML: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (aliases > 0) {
            throw new InvalidInputException("--config", source + " uses YAML aliases (*name; " + aliases
                    + " found), which the configuration does not support: write the values out");
        }
    }

    public String source() {
        return source;
    }

    /** The raw section, or a missing node. */
    public JsonNode raw(String name) {
        JsonNode node = root.get(name);
        return node == null ? MissingNode.getInstance() : node;
    }

    /** Binds a top-level section to a type; a malformed section is an input error naming the section. */
    public <T> Optional<T> section(String name, JavaType type) {
        JsonNode node = raw(name);
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(Json.mapper().readerFor(type)
                    .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(node));
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            List<String> known = e.getKnownPropertyIds() == null ? List.of()
                    : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            throw new InvalidInputException("--config section '" + name + "'", "unknown key '" + e.getPropertyName()
                    + "' at " + ConfigKeys.path(name, e.getPath()) + ConfigKeys.didYouMean(e.getPropertyName(), known)
                    + "; known keys there: " + String.join(", ", known));
        } catch (IOException | IllegalArgumentException e) {
            String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new InvalidInputException("--config section '" + name + "'", "does not match the expected structure: "
                    + detail);
        }
    }

    public <T> Optional<T> section(String name, Class<T> type) {
        return section(name, Json.mapper().constructType(type));
    }

    /** The clusters of {@code kubePlatform} ({@link KubePlatformSchema}), else of an older file's {@code clusters}. */
    public List<ClusterSettings> clusters() {
        JsonNode kube = raw("kubePlatform");
        if (!kube.isMissingNode()) {
            return KubePlatformSchema.clusters(kube);
        }
        return this.<List<ClusterSettings>>section("clusters",
                Json.mapper().getTypeFactory().constructCollectionType(List.class, ClusterSettings.class))
                .orElse(List.of());
    }

    /** The configured default cluster name ({@code defaultCluster}), else the first cluster. */
    public Optional<ClusterSettings> defaultCluster() {
        List<ClusterSettings> clusters = clusters();
        JsonNode kube = raw("kubePlatform");
        String wanted = kube.isMissingNode() ? raw("defaultCluster").asText("") : KubePlatformSchema.defaultCluster(kube);
        if (!wanted.isEmpty()) {
            return Optional.of(clusters.stream().filter(c -> wanted.equals(c.name())).findFirst()
                    .orElseThrow(() -> new InvalidInputException("--config defaultCluster",
                            "names cluster '" + wanted + "', which is not among the configured clusters")));
        }
        return clusters.stream().findFirst();
    }
}
