package hudson.security;

import org.jvnet.localizer.Localizable;

/** Stand-in for jenkins-core {@code hudson.security.Permission}. */
public final class Permission {

    public final PermissionGroup group;
    public final String name;
    public final Localizable description;
    public final Permission impliedBy;

    public Permission(PermissionGroup group, String name, Localizable description, Permission impliedBy) {
        this.group = group;
        this.name = name;
        this.description = description;
        this.impliedBy = impliedBy;
    }

    public String getId() {
        return group.owner.getName() + '.' + name;
    }

    @Override
    public String toString() {
        return "Permission[" + getId() + ']';
    }
}
