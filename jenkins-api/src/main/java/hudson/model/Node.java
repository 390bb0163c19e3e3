package hudson.model;

import hudson.ExtensionPoint;
import hudson.security.ACL;
import hudson.security.AccessControlled;
import hudson.model.queue.CauseOfBlockage;
import jenkins.util.io.OnMaster;

/** Stand-in for jenkins-core {@code hudson.model.Node}: the configuration of an agent (or of the controller). */
public abstract class Node extends AbstractModelObject implements ExtensionPoint, AccessControlled, OnMaster,
        PersistenceRoot {

    public String getDisplayName() {
        throw new UnsupportedOperationException("stand-in");
    }

    public abstract String getNodeName();

    public abstract String getNodeDescription();

    public abstract int getNumExecutors();

    public abstract String getLabelString();

    public final Computer toComputer() {
        throw new UnsupportedOperationException("stand-in");
    }

    public CauseOfBlockage canTake(Queue.BuildableItem item) {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public ACL getACL() {
        throw new UnsupportedOperationException("stand-in");
    }
}
