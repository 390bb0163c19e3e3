package hudson.model;

import hudson.ExtensionPoint;

/** Stand-in for jenkins-core {@code hudson.model.Job}. */
public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends AbstractItem
        implements ExtensionPoint {

    @SuppressWarnings("rawtypes")
    protected Job(ItemGroup parent, String name) {
        super(parent, name);
    }

    public boolean isBuilding() {
        throw new UnsupportedOperationException("stand-in");
    }

    public int getNextBuildNumber() {
        throw new UnsupportedOperationException("stand-in");
    }

    public RunT getBuildByNumber(int n) {
        throw new UnsupportedOperationException("stand-in");
    }

    public RunT getLastBuild() {
        throw new UnsupportedOperationException("stand-in");
    }

    public RunT getLastCompletedBuild() {
        throw new UnsupportedOperationException("stand-in");
    }

    public RunT getLastSuccessfulBuild() {
        throw new UnsupportedOperationException("stand-in");
    }
}
