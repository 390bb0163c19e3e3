package io.jenkins.plugins.kubeplatform.sim;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens the simulated server knows, each naming a user and its groups (the authentication step in front of
 * RBAC authorization, {@link SimOptions#rbac()}). A service account's token authenticates as
 * {@code system:serviceaccount:<namespace>:<name>} with the groups {@code system:serviceaccounts},
 * {@code system:serviceaccounts:<namespace>} and {@code system:authenticated}, as on a real cluster.
 */
public final class SimTokens {

    /** An authenticated caller. */
    public record Subject(String user, List<String> groups) {
        public static final Subject ANONYMOUS = new Subject("system:anonymous", List.of("system:unauthenticated"));
    }

    private final Map<String, Subject> byToken = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** A new token for the service account {@code namespace/name}. */
    public String serviceAccount(String namespace, String name) {
        return user("system:serviceaccount:" + namespace + ":" + name, "system:serviceaccounts",
                "system:serviceaccounts:" + namespace);
    }

    /** A new token for a user and its groups ({@code system:authenticated} is added). */
    public String user(String user, String... groups) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = "sim-" + HexFormat.of().formatHex(bytes);
        List<String> all = new java.util.ArrayList<>(List.of(groups));
        all.add("system:authenticated");
        byToken.put(token, new Subject(user, List.copyOf(all)));
        return token;
    }

    /** The caller for an {@code Authorization} header: empty for an unknown token, anonymous for none. */
    Optional<Subject> authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Optional.of(Subject.ANONYMOUS);
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.ofNullable(byToken.get(authorization.substring(7).trim()));
    }
}
