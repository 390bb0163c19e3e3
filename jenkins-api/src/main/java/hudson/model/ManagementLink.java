package hudson.model;

import hudson.ExtensionList;
import hudson.ExtensionPoint;
import hudson.security.Permission;

/** Stand-in for jenkins-core {@code hudson.model.ManagementLink}: an entry on Manage Jenkins. */
public abstract class ManagementLink implements ExtensionPoint, Action {

    @Override
    public abstract String getIconFileName();

    public String getDescription() {
        return "";
    }

    @Override
    public abstract String getUrlName();

    public boolean getRequiresConfirmation() {
        return false;
    }

    public static ExtensionList<ManagementLink> all() {
        throw new UnsupportedOperationException("stand-in");
    }

    public Permission getRequiredPermission() {
        throw new UnsupportedOperationException("stand-in");
    }

    public boolean getRequiresPOST() {
        return false;
    }

    public Category getCategory() {
        return Category.UNCATEGORIZED;
    }

    /** Stand-in for {@code ManagementLink.Category}. */
    public enum Category {
        CONFIGURATION,
        SECURITY,
        STATUS,
        TROUBLESHOOTING,
        TOOLS,
        MISC,
        UNCATEGORIZED;
    }
}
