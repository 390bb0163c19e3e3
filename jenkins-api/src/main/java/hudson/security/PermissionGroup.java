package hudson.security;

import java.util.Iterator;
import java.util.List;
import org.jvnet.localizer.Localizable;

/** Stand-in for jenkins-core {@code hudson.security.PermissionGroup}. */
public final class PermissionGroup implements Iterable<Permission>, Comparable<PermissionGroup> {

    @SuppressWarnings("rawtypes")
    public final Class owner;
    public final Localizable title;

    @SuppressWarnings("rawtypes")
    public PermissionGroup(Class owner, Localizable title) throws IllegalStateException {
        this.owner = owner;
        this.title = title;
    }

    @Override
    public Iterator<Permission> iterator() {
        return List.<Permission>of().iterator();
    }

    @Override
    public int compareTo(PermissionGroup that) {
        return owner.getName().compareTo(that.owner.getName());
    }
}
