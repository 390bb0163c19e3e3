package io.jenkins.plugins.kubeplatform.cli;

import java.nio.file.Path;

/** The global options as given (any may be null; {@code insecureSkipTlsVerify} and {@code noHeaders} false when absent). */
record GlobalOptions(
        String server,
        Path tokenFile,
        Path kubeconfig,
        String context,
        String cluster,
        String user,
        String namespace,
        Path certificateAuthority,
        boolean insecureSkipTlsVerify,
        Path config,
        Path stateDir,
        OutputFormat output,
        boolean noHeaders) {
}
