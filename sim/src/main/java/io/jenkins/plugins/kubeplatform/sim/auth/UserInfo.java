package io.jenkins.plugins.kubeplatform.sim.auth;

import java.util.List;

/**
 * Who a request was authenticated as: the user name and groups, as the API server's authenticators produce them
 * ({@code user.Info}); what an authorizer (RBAC) decides on.
 */
public record UserInfo(String user, List<String> groups) {

    /** Every authenticated user is in this group, as on a real API server. */
    public static final String AUTHENTICATED = "system:authenticated";

    public UserInfo {
        groups = List.copyOf(groups);
    }
}
