package hudson.tasks;

import hudson.ExtensionPoint;
import hudson.model.Describable;
import hudson.model.Descriptor;

/** Stand-in for jenkins-core {@code hudson.tasks.Builder}: a build step of a freestyle job. */
public abstract class Builder extends BuildStepCompatibilityLayer implements Describable<Builder>, ExtensionPoint {

    public Builder() {
    }

    @Override
    public Descriptor<Builder> getDescriptor() {
        throw new UnsupportedOperationException("stand-in");
    }
}
