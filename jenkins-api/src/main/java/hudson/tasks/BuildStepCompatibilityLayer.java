package hudson.tasks;

/** Stand-in for jenkins-core {@code hudson.tasks.BuildStepCompatibilityLayer}, the base of {@link Builder}. */
public abstract class BuildStepCompatibilityLayer implements BuildStep {

    public BuildStepCompatibilityLayer() {
    }
}
