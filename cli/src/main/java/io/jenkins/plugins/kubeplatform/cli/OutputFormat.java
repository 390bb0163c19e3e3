package io.jenkins.plugins.kubeplatform.cli;

/** How results are printed: a table ({@code text}, {@code wide} with more columns) or exactly one document. */
public enum OutputFormat {
    TEXT,
    WIDE,
    JSON,
    YAML;

    /** Whether the result is one machine-readable document (json or yaml). */
    public boolean structured() {
        return this == JSON || this == YAML;
    }
}
