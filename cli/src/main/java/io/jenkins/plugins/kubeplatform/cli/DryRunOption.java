package io.jenkins.plugins.kubeplatform.cli;

import picocli.CommandLine.Option;

/** {@code --dry-run[=client|server|none]}, with kubectl's meaning, for commands that change the cluster. */
public final class DryRunOption {

    /** What a dry run sends. */
    public enum Mode {
        /** Apply for real. */
        NONE,
        /** Compute and print the plan; send no write and change no state file. */
        CLIENT,
        /** Print the plan and send its writes with {@code dryRun=All}: the server checks them, stores nothing. */
        SERVER
    }

    @Option(names = "--dry-run", paramLabel = "MODE", arity = "0..1", fallbackValue = "client", defaultValue = "none",
            description = "client: print the plan (objects, ledger changes) and change nothing; server: also send "
                    + "the writes with dryRun=All for the API server to check. Default: ${DEFAULT-VALUE}.")
    Mode mode = Mode.NONE;

    public Mode mode() {
        return mode;
    }

    public boolean requested() {
        return mode != Mode.NONE;
    }
}
