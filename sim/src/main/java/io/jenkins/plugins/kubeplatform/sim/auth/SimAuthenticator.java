package io.jenkins.plugins.kubeplatform.sim.auth;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The API server's authenticators in the order it runs them: a client certificate verified against the cluster CA
 * (user = CN, groups = O), a bearer token from a static token file, HTTP basic from a static password file (removed
 * from Kubernetes in 1.19 but still what Jenkins' username/password credentials map to). Unknown credentials get no
 * user, and the front answers 401; requests without any credential are {@code system:anonymous}.
 */
public final class SimAuthenticator {

    private final Map<String, UserInfo> tokens = new ConcurrentHashMap<>();
    private final Map<String, Map.Entry<String, UserInfo>> passwords = new ConcurrentHashMap<>();

    /** Accepts {@code token} as {@code user} in {@code groups} (a line of a static token file). */
    public SimAuthenticator token(String token, String user, List<String> groups) {
        tokens.put(token, withAuthenticated(user, groups));
        return this;
    }

    /** Accepts {@code user} with {@code password} (a line of a static password file). */
    public SimAuthenticator password(String user, String password, List<String> groups) {
        passwords.put(user, Map.entry(password, withAuthenticated(user, groups)));
        return this;
    }

    /**
     * Who the request is, from the verified client certificate of its connection (or null) and its Authorization
     * header (or null); empty when a credential was presented but is unknown or wrong.
     */
    public Optional<UserInfo> authenticate(X509Certificate verifiedClientCertificate, String authorization) {
        if (verifiedClientCertificate != null) {
            return fromCertificate(verifiedClientCertificate);
        }
        if (authorization == null || authorization.isBlank()) {
            return Optional.of(new UserInfo("system:anonymous", List.of("system:unauthenticated")));
        }
        String value = authorization.trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.ofNullable(tokens.get(value.substring(7).trim()));
        }
        if (value.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            Map.Entry<String, UserInfo> known = passwords.get(decoded.substring(0, colon));
            return known != null && known.getKey().equals(decoded.substring(colon + 1))
                    ? Optional.of(known.getValue()) : Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<UserInfo> fromCertificate(X509Certificate certificate) {
        try {
            String user = null;
            List<String> groups = new ArrayList<>();
            // LdapName lists the RDNs from the end of the string: the subject's own order
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    user = String.valueOf(rdn.getValue());
                } else if ("O".equalsIgnoreCase(rdn.getType())) {
                    groups.add(String.valueOf(rdn.getValue()));
                }
            }
            return user == null ? Optional.empty() : Optional.of(withAuthenticated(user, groups));
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }

    private static UserInfo withAuthenticated(String user, List<String> groups) {
        List<String> all = new ArrayList<>(groups);
        all.add(UserInfo.AUTHENTICATED);
        return new UserInfo(user, all);
    }
}
