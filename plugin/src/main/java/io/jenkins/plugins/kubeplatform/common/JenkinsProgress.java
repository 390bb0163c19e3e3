package io.jenkins.plugins.kubeplatform.common;

import hudson.model.TaskListener;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;

/** The engine's progress port written to a build log. */
public final class JenkinsProgress {

    private JenkinsProgress() {
    }

    public static Progress of(TaskListener listener) {
        return Progress.to(listener.getLogger());
    }
}
