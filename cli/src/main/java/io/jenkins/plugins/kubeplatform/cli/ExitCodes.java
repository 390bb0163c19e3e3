package io.jenkins.plugins.kubeplatform.cli;

/** The CLI's exit code contract. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int INVALID_INPUT = 2;
    /** 128 + SIGINT, as shells report a process ended by Ctrl-C. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
