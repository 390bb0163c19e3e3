package hudson.model;

/** Stand-in for jenkins-core {@code hudson.model.AbstractModelObject} (base of the model classes). */
public abstract class AbstractModelObject {
}
