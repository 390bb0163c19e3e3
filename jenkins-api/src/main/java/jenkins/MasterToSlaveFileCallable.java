package jenkins;

import hudson.FilePath;
import org.jenkinsci.remoting.RoleChecker;

/** Stand-in for jenkins-core {@code jenkins.MasterToSlaveFileCallable}: file work that runs on the agent. */
public abstract class MasterToSlaveFileCallable<T> implements FilePath.FileCallable<T> {

    private static final long serialVersionUID = 1L;

    @Override
    public void checkRoles(RoleChecker checker) throws SecurityException {
        throw new UnsupportedOperationException("stand-in");
    }
}
