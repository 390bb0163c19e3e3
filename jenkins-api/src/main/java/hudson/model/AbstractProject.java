package hudson.model;

/** Stand-in for jenkins-core {@code hudson.model.AbstractProject}: the job type of freestyle projects. */
public abstract class AbstractProject<P extends AbstractProject<P, R>, R extends AbstractBuild<P, R>> extends Job<P, R> {

    protected AbstractProject(ItemGroup parent, String name) {
        super(parent, name);
    }
}
