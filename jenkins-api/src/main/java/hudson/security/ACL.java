package hudson.security;

import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;

/** Stand-in for jenkins-core {@code hudson.security.ACL}. */
public abstract class ACL {

    public static final String SYSTEM_USERNAME = "SYSTEM";

    /** The identity of Jenkins itself (background work such as periodic tasks runs as this). */
    public static final Authentication SYSTEM2 =
            new UsernamePasswordAuthenticationToken(SYSTEM_USERNAME, "SYSTEM", List.of());

    public final void checkPermission(Permission p) {
        throw new UnsupportedOperationException("stand-in");
    }

    public final void checkAnyPermission(Permission... permissions) {
        throw new UnsupportedOperationException("stand-in");
    }

    public final boolean hasPermission(Permission p) {
        throw new UnsupportedOperationException("stand-in");
    }

    public final boolean hasAnyPermission(Permission... permissions) {
        throw new UnsupportedOperationException("stand-in");
    }

    public boolean hasPermission2(Authentication a, Permission permission) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static ACLContext as2(Authentication auth) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static boolean isAnonymous2(Authentication authentication) {
        throw new UnsupportedOperationException("stand-in");
    }
}
