package hudson.model;

import hudson.ExtensionList;
import hudson.ExtensionPoint;
import hudson.security.Permission;
import java.io.IOException;

/** Stand-in for jenkins-core {@code hudson.model.AdministrativeMonitor}: a warning shown to administrators. */
public abstract class AdministrativeMonitor extends AbstractModelObject implements ExtensionPoint {

    public final String id;

    protected AdministrativeMonitor(String id) {
        this.id = id;
    }

    protected AdministrativeMonitor() {
        this.id = getClass().getName();
    }

    public String getDisplayName() {
        return id;
    }

    public abstract boolean isActivated();

    public boolean isSecurity() {
        return false;
    }

    public boolean isEnabled() {
        throw new UnsupportedOperationException("stand-in");
    }

    public void disable(boolean value) throws IOException {
        throw new UnsupportedOperationException("stand-in");
    }

    public Permission getRequiredPermission() {
        throw new UnsupportedOperationException("stand-in");
    }

    public static ExtensionList<AdministrativeMonitor> all() {
        throw new UnsupportedOperationException("stand-in");
    }
}
