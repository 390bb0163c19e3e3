package hudson.security;

import org.jvnet.localizer.Localizable;

/** Stand-in for jenkins-core {@code hudson.security.Permission}. */
public final class Permission {

    @SuppressWarnings("rawtypes")
    public final Class owner;
    public final PermissionGroup group;
    public final String name;
    public final Localizable description;
    public final Permission impliedBy;

    /** Deprecated in Jenkins in favour of the constructors taking a PermissionScope (not modelled). */
    @Deprecated
    public Permission(PermissionGroup group, String name, Localizable description, Permission impliedBy) {
        this.owner = group.owner;
        this.group = group;
        this.name = name;
        this.description = description;
        this.impliedBy = impliedBy;
    }

    public String getId() {
        return owner.getName() + '.' + name;
    }

    @Override
    public String toString() {
        return "Permission[" + getId() + ']';
    }
}
