package hudson.model;

import hudson.EnvVars;
import hudson.ExtensionPoint;
import hudson.security.ACL;
import hudson.security.AccessControlled;
import java.io.File;
import java.io.IOException;
import jenkins.util.io.OnMaster;
import org.springframework.security.access.AccessDeniedException;

/** Stand-in for jenkins-core {@code hudson.model.Run}: one build of a job. */
public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable
        implements ExtensionPoint, Comparable<RunT>, AccessControlled, PersistenceRoot, DescriptorByNameOwner,
        OnMaster {

    protected Run(JobT job) throws IOException {
        throw new UnsupportedOperationException("stand-in");
    }

    public JobT getParent() {
        throw new UnsupportedOperationException("stand-in");
    }

    public int getNumber() {
        throw new UnsupportedOperationException("stand-in");
    }

    public String getId() {
        throw new UnsupportedOperationException("stand-in");
    }

    public Result getResult() {
        throw new UnsupportedOperationException("stand-in");
    }

    public void setResult(Result r) {
        throw new UnsupportedOperationException("stand-in");
    }

    public boolean isBuilding() {
        throw new UnsupportedOperationException("stand-in");
    }

    public String getDisplayName() {
        throw new UnsupportedOperationException("stand-in");
    }

    public String getFullDisplayName() {
        throw new UnsupportedOperationException("stand-in");
    }

    public String getUrl() {
        throw new UnsupportedOperationException("stand-in");
    }

    public String getExternalizableId() {
        throw new UnsupportedOperationException("stand-in");
    }

    public static Run<?, ?> fromExternalizableId(String id) throws IllegalArgumentException, AccessDeniedException {
        throw new UnsupportedOperationException("stand-in");
    }

    public EnvVars getEnvironment(TaskListener listener) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stand-in");
    }

    public final long getTimeInMillis() {
        throw new UnsupportedOperationException("stand-in");
    }

    public final long getStartTimeInMillis() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public File getRootDir() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public int compareTo(RunT that) {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public ACL getACL() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public synchronized void save() throws IOException {
        throw new UnsupportedOperationException("stand-in");
    }
}
