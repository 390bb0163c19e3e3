package hudson.tasks;

import hudson.model.AbstractProject;
import hudson.model.Describable;
import hudson.model.Descriptor;

/** Stand-in for jenkins-core {@code hudson.tasks.BuildStepDescriptor}: the descriptor of builders and publishers. */
public abstract class BuildStepDescriptor<T extends BuildStep & Describable<T>> extends Descriptor<T> {

    protected BuildStepDescriptor(Class<? extends T> clazz) {
        super(clazz);
    }

    protected BuildStepDescriptor() {
    }

    @SuppressWarnings("rawtypes")
    public abstract boolean isApplicable(Class<? extends AbstractProject> jobType);
}
