package hudson.model;

/** Stand-in for jenkins-core {@code hudson.model.InvisibleAction}. */
public abstract class InvisibleAction implements Action {

    @Override
    public final String getIconFileName() {
        return null;
    }

    @Override
    public final String getDisplayName() {
        return null;
    }

    @Override
    public String getUrlName() {
        return null;
    }
}
