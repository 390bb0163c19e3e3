package io.jenkins.plugins.kubeplatform.cli;

import java.nio.file.Path;

/** The global options as given (any may be null). */
record GlobalOptions(String server, Path tokenFile, Path kubeconfig, Path config, Path stateDir, OutputFormat output) {
}
