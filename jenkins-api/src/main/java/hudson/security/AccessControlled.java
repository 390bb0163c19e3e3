package hudson.security;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;

/** Stand-in for jenkins-core {@code hudson.security.AccessControlled}. */
public interface AccessControlled {

    ACL getACL();

    default void checkPermission(Permission permission) throws AccessDeniedException {
        getACL().checkPermission(permission);
    }

    default void checkAnyPermission(Permission... permission) throws AccessDeniedException {
        getACL().checkAnyPermission(permission);
    }

    default boolean hasPermission(Permission permission) {
        return getACL().hasPermission(permission);
    }

    default boolean hasAnyPermission(Permission... permission) {
        return getACL().hasAnyPermission(permission);
    }

    default boolean hasPermission2(Authentication a, Permission permission) {
        return getACL().hasPermission2(a, permission);
    }
}
