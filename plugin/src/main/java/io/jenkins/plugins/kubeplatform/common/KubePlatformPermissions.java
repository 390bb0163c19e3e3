package io.jenkins.plugins.kubeplatform.common;

import hudson.security.Permission;
import hudson.security.PermissionGroup;
import jenkins.model.Jenkins;

/**
 * The plugin's permissions, shown as the group "KubePlatform" in authorization strategies (matrix authorization:
 * {@code KubePlatform/RepairNode}). Checked against the build's authentication, which is SYSTEM unless a
 * QueueItemAuthenticator (such as the Authorize Project plugin) makes builds run as a user.
 */
public final class KubePlatformPermissions {

    public static final PermissionGroup GROUP = new PermissionGroup(KubePlatformPermissions.class,
            Messages._KubePlatformPermissions_Group());

    /** May run {@code repairNode} (cordon, drain, repair nodes); every administrator may. */
    public static final Permission REPAIR_NODE = new Permission(GROUP, "RepairNode",
            Messages._KubePlatformPermissions_RepairNode(), Jenkins.ADMINISTER);

    private KubePlatformPermissions() {
    }

    /** The build failure for an authentication without {@link #REPAIR_NODE}. */
    public static String repairRefused(String authentication) {
        return Messages.KubePlatformPermissions_RepairRefused(authentication);
    }
}
