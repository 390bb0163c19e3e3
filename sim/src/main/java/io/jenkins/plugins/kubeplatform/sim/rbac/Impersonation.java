package io.jenkins.plugins.kubeplatform.sim.rbac;

import io.jenkins.plugins.kubeplatform.sim.auth.UserInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API server's impersonation filter ({@code kubectl --as}, {@code --as-group}; client {@code Impersonate-User},
 * {@code Impersonate-Group} headers): the authenticated requester must be allowed the {@code impersonate} verb on
 * {@code users} (by name), {@code serviceaccounts} (in the account's namespace, by name) or {@code groups} (by
 * name); the request then runs as the impersonated user. A service account impersonated without groups gets its
 * fixed groups ({@code system:serviceaccounts}, {@code system:serviceaccounts:<namespace>}); every impersonated
 * user but {@code system:anonymous} is in {@code system:authenticated}. Groups without a user are refused.
 */
public final class Impersonation {

    public static final String USER_HEADER = "Impersonate-User";
    public static final String GROUP_HEADER = "Impersonate-Group";
    private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

    /** The subject to authorize the request as, or the refusal (code and message). */
    public sealed interface Outcome permits AsUser, Refused {
    }

    public record AsUser(UserInfo subject) implements Outcome {
    }

    /** @param request the impersonation RBAC refused; absent for a malformed impersonation (500, as the server) */
    public record Refused(int code, String message, Optional<ResourceRequest> request) implements Outcome {
    }

    private Impersonation() {
    }

    /** @param headers the request's headers, names in any case */
    public static Outcome apply(UserInfo requester, Map<String, List<String>> headers, RbacAuthorizer authorizer) {
        String user = null;
        List<String> groups = new ArrayList<>();
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(USER_HEADER) && !h.getValue().isEmpty()) {
                user = h.getValue().get(0);
            } else if (h.getKey().equalsIgnoreCase(GROUP_HEADER)) {
                groups.addAll(h.getValue());
            }
        }
        if (user == null) {
            return groups.isEmpty() ? new AsUser(requester) : new Refused(500, "Internal error occurred: requested groups "
                    + groups + " without impersonating a user", Optional.empty());
        }
        List<ResourceRequest> checks = new ArrayList<>();
        List<String> impersonatedGroups = new ArrayList<>(groups);
        if (user.startsWith(SERVICE_ACCOUNT_PREFIX) && user.substring(SERVICE_ACCOUNT_PREFIX.length()).contains(":")) {
            String rest = user.substring(SERVICE_ACCOUNT_PREFIX.length());
            String namespace = rest.substring(0, rest.indexOf(':'));
            String name = rest.substring(rest.indexOf(':') + 1);
            checks.add(new ResourceRequest("impersonate", "", "serviceaccounts", "", namespace, name));
            if (groups.isEmpty()) {
                impersonatedGroups.add("system:serviceaccounts");
                impersonatedGroups.add("system:serviceaccounts:" + namespace);
            }
        } else {
            checks.add(new ResourceRequest("impersonate", "", "users", "", "", user));
        }
        for (String group : groups) {
            checks.add(new ResourceRequest("impersonate", "", "groups", "", "", group));
        }
        for (ResourceRequest check : checks) {
            if (!authorizer.allowed(requester.user(), requester.groups(), check)) {
                return new Refused(403, RbacAuthorizer.message(requester.user(), check), Optional.of(check));
            }
        }
        return new AsUser(user.equals(UserInfo.ANONYMOUS.user()) ? new UserInfo(user, impersonatedGroups)
                : UserInfo.authenticated(user, impersonatedGroups));
    }
}
