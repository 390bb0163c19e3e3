package io.jenkins.plugins.kubeplatform.sim.auth;

import java.util.List;

/**
 * Who a request was authenticated as: the user name and groups, as the API server's authenticators produce them
 * ({@code user.Info}); what an authorizer (RBAC) decides on.
 */
public record UserInfo(String user, List<String> groups) {

    /** Every authenticated user is in this group, as on a real API server. */
    public static final String AUTHENTICATED = "system:authenticated";

    /** A request without credentials. */
    public static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", List.of("system:unauthenticated"));

    public UserInfo {
        groups = List.copyOf(groups);
    }

    /** {@code user} in {@code groups} plus {@code system:authenticated}, as every authenticator adds it. */
    public static UserInfo authenticated(String user, List<String> groups) {
        List<String> all = new java.util.ArrayList<>(groups);
        if (!all.contains(AUTHENTICATED)) {
            all.add(AUTHENTICATED);
        }
        return new UserInfo(user, all);
    }
}
