package hudson.tasks;

/** Stand-in for jenkins-core {@code hudson.tasks.BuildStep}: one step of a freestyle build (members not modelled). */
public interface BuildStep {
}
