package io.jenkins.plugins.kubeplatform.cli;

/** How results are printed. */
public enum OutputFormat {
    TEXT,
    JSON
}
