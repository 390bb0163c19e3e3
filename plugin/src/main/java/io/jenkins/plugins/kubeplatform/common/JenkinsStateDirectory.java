package io.jenkins.plugins.kubeplatform.common;

import java.nio.file.Path;
import jenkins.model.Jenkins;

/** Where the plugin keeps its durable state: {@code JENKINS_HOME/kubeplatform}. */
public final class JenkinsStateDirectory {

    private JenkinsStateDirectory() {
    }

    public static Path path() {
        return Jenkins.get().getRootDir().toPath().resolve("kubeplatform");
    }
}
