package hudson.model;

import hudson.security.ACL;
import hudson.security.AccessControlled;
import hudson.slaves.OfflineCause;

/** Stand-in for jenkins-core {@code hudson.model.Computer}: the running state of a node. */
public abstract class Computer extends Actionable implements AccessControlled, DescriptorByNameOwner {

    /** Does nothing, so that plugin tests can model Jenkins' agents with a subclass. */
    protected Computer(Node node) {
    }

    public Node getNode() {
        throw new UnsupportedOperationException("stand-in");
    }

    public String getName() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public String getDisplayName() {
        throw new UnsupportedOperationException("stand-in");
    }

    public final boolean isOnline() {
        throw new UnsupportedOperationException("stand-in");
    }

    public boolean isOffline() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Deprecated
    public boolean isTemporarilyOffline() {
        throw new UnsupportedOperationException("stand-in");
    }

    public void setTemporarilyOffline(boolean temporarilyOffline, OfflineCause cause) {
        throw new UnsupportedOperationException("stand-in");
    }

    public OfflineCause getOfflineCause() {
        throw new UnsupportedOperationException("stand-in");
    }

    public final int countBusy() {
        throw new UnsupportedOperationException("stand-in");
    }

    public int countIdle() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public ACL getACL() {
        throw new UnsupportedOperationException("stand-in");
    }

    public static Computer currentComputer() {
        throw new UnsupportedOperationException("stand-in");
    }
}
