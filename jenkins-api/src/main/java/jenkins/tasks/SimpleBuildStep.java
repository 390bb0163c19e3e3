package jenkins.tasks;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStep;
import java.io.IOException;

/** Stand-in for jenkins-core {@code jenkins.tasks.SimpleBuildStep}: a build step usable in freestyle and Pipeline. */
public interface SimpleBuildStep extends BuildStep {

    default void perform(Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws InterruptedException, IOException {
        throw new UnsupportedOperationException("stand-in");
    }
}
