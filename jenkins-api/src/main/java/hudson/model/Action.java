package hudson.model;

/** Stand-in for jenkins-core {@code hudson.model.Action}. */
public interface Action extends ModelObject {
    String getIconFileName();

    @Override
    String getDisplayName();

    String getUrlName();
}
