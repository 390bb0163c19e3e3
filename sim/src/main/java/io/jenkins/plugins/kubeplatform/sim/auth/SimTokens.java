package io.jenkins.plugins.kubeplatform.sim.auth;

import io.jenkins.plugins.kubeplatform.sim.auth.UserInfo;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated cluster's one identity source: the bearer tokens and passwords it accepts, each naming a user and
 * its groups. Service account tokens (issued by the token controller for {@code kubernetes.io/service-account-token}
 * Secrets, or by a TokenRequest) authenticate as {@code system:serviceaccount:<namespace>:<name>} with the groups
 * {@code system:serviceaccounts}, {@code system:serviceaccounts:<namespace>} and {@code system:authenticated}, as on a
 * real cluster. The plain API endpoint authenticates bearer tokens itself; the TLS front
 * ({@link io.jenkins.plugins.kubeplatform.sim.auth.AuthenticatingFront}) authenticates client certificates, tokens
 * and passwords against the same maps and forwards the user as front-proxy headers, which the API endpoint trusts
 * only together with {@link #proxySecret()} (the stand-in for the request-header client CA).
 */
public final class SimTokens {

    private final Map<String, UserInfo> byToken = new ConcurrentHashMap<>();
    /** For tokens issued to a Secret: {@code namespace/name} of that Secret, checked on every use. */
    private final Map<String, String> secretOf = new ConcurrentHashMap<>();
    private volatile java.util.function.BiPredicate<String, String> secretHoldsToken = (secret, token) -> true;
    private final Map<String, Map.Entry<String, UserInfo>> passwords = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final String proxySecret = fresh("proxy-");

    /** A new token for the service account {@code namespace/name}. */
    public String serviceAccount(String namespace, String name) {
        String token = fresh("sim-");
        byToken.put(token, serviceAccountUser(namespace, name));
        return token;
    }

    /** Who a service account's token authenticates as. */
    public static UserInfo serviceAccountUser(String namespace, String name) {
        return new UserInfo("system:serviceaccount:" + namespace + ":" + name, List.of("system:serviceaccounts",
                "system:serviceaccounts:" + namespace, UserInfo.AUTHENTICATED));
    }

    /** A new token for a user and its groups ({@code system:authenticated} is added). */
    public String user(String user, String... groups) {
        String token = fresh("sim-");
        token(token, user, List.of(groups));
        return token;
    }

    /** Accepts {@code token} as {@code user} in {@code groups} plus {@code system:authenticated} (a token file line). */
    public void token(String token, String user, List<String> groups) {
        byToken.put(token, UserInfo.authenticated(user, groups));
    }

    /** Accepts {@code token} as exactly this user (groups as given). */
    public void token(String token, UserInfo user) {
        byToken.put(token, user);
    }

    /**
     * Accepts {@code token} as the service account while the Secret {@code namespace/secret} still holds it, as the
     * API server's legacy service account token authenticator checks on every request.
     */
    public void secretToken(String token, String namespace, String secret, String account) {
        secretOf.put(token, namespace + "/" + secret);
        byToken.put(token, serviceAccountUser(namespace, account));
    }

    /** How {@link #secretToken} tokens are checked: (Secret {@code namespace/name}, token) → still there. */
    public void secretLookup(java.util.function.BiPredicate<String, String> holdsToken) {
        this.secretHoldsToken = holdsToken;
    }

    /** Forgets a token (its Secret was deleted). */
    public void revoke(String token) {
        byToken.remove(token);
        secretOf.remove(token);
    }

    /** Accepts {@code user} with {@code password} (basic authentication, a static password file line). */
    public void password(String user, String password, List<String> groups) {
        passwords.put(user, Map.entry(password, UserInfo.authenticated(user, groups)));
    }

    /** The user a bearer token names; empty when unknown. */
    public Optional<UserInfo> bearer(String token) {
        String value = token.trim();
        String secret = secretOf.get(value);
        if (secret != null && !secretHoldsToken.test(secret, value)) {
            return Optional.empty();
        }
        return Optional.ofNullable(byToken.get(value));
    }

    /** The user for basic credentials; empty when the user is unknown or the password wrong. */
    public Optional<UserInfo> basic(String user, String password) {
        Map.Entry<String, UserInfo> known = passwords.get(user);
        return known != null && MessageDigest.isEqual(known.getKey().getBytes(StandardCharsets.UTF_8),
                password.getBytes(StandardCharsets.UTF_8)) ? Optional.of(known.getValue()) : Optional.empty();
    }

    /** The shared secret with which the TLS front proves that its front-proxy headers are to be trusted. */
    public String proxySecret() {
        return proxySecret;
    }

    /** A new random token value. */
    public String fresh(String prefix) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    /**
     * The caller for an {@code Authorization} header: empty for an unknown or unsupported credential, anonymous for
     * none.
     */
    public Optional<UserInfo> authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Optional.of(UserInfo.ANONYMOUS);
        }
        String value = authorization.trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return bearer(value.substring(7));
        }
        if (value.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(java.util.Base64.getDecoder().decode(value.substring(6).trim()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty() : basic(decoded.substring(0, colon), decoded.substring(colon + 1));
        }
        return Optional.empty();
    }
}
