package io.jenkins.plugins.kubeplatform.cli;

/** Whether a person is watching: progress that rewrites itself only makes sense on a terminal. */
final class Terminal {

    private Terminal() {
    }

    static boolean isInteractive() {
        return System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }
}
