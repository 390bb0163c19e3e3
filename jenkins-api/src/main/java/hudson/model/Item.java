package hudson.model;

import hudson.security.AccessControlled;
import hudson.security.Permission;
import hudson.security.PermissionGroup;
import jenkins.util.io.OnMaster;

/** Stand-in for jenkins-core {@code hudson.model.Item}. */
public interface Item extends PersistenceRoot, AccessControlled, OnMaster {

    PermissionGroup PERMISSIONS = new PermissionGroup(Item.class, null);
    Permission CREATE = new Permission(PERMISSIONS, "Create", null, null);
    Permission DELETE = new Permission(PERMISSIONS, "Delete", null, null);
    Permission CONFIGURE = new Permission(PERMISSIONS, "Configure", null, null);
    Permission READ = new Permission(PERMISSIONS, "Read", null, null);
    Permission DISCOVER = new Permission(PERMISSIONS, "Discover", null, READ);
    Permission EXTENDED_READ = new Permission(PERMISSIONS, "ExtendedRead", null, CONFIGURE);
    Permission BUILD = new Permission(PERMISSIONS, "Build", null, null);
    Permission WORKSPACE = new Permission(PERMISSIONS, "Workspace", null, null);
    Permission CANCEL = new Permission(PERMISSIONS, "Cancel", null, BUILD);

    ItemGroup<? extends Item> getParent();

    String getName();

    String getFullName();

    String getDisplayName();

    String getFullDisplayName();

    String getUrl();
}
