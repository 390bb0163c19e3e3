package hudson.model;

/** Stand-in for jenkins-core {@code hudson.model.Describable}. */
public interface Describable<T extends Describable<T>> {
    Descriptor<T> getDescriptor();
}
