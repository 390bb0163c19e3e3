package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import java.util.List;

/** A deploy's progress that keeps only its {@code [warn]} lines, for tests that assert on them. */
final class Warnings {

    private Warnings() {
    }

    /**
     * Progress that adds each {@code [warn]} line to {@code lines}, which must be thread-safe: the API server's
     * warnings arrive on fabric8's threads.
     */
    static Progress into(List<String> lines) {
        return Progress.lines(l -> {
            if (l.startsWith("[warn]")) {
                lines.add(l);
            }
        });
    }
}
