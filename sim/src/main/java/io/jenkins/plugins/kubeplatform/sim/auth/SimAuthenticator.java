package io.jenkins.plugins.kubeplatform.sim.auth;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The API server's authenticators in the order it runs them: a client certificate verified against the cluster CA
 * (user = CN, groups = O), a bearer token (static token file entries, service account token Secrets, TokenRequest
 * tokens), HTTP basic from a static password file (removed from Kubernetes in 1.19 but still what Jenkins'
 * username/password credentials map to). Tokens and passwords live in the cluster's {@link SimTokens}, the one
 * identity source the API endpoint's RBAC authorizer also uses. Unknown credentials get no user, and the front
 * answers 401; requests without any credential are {@code system:anonymous}.
 */
public final class SimAuthenticator {

    private final SimTokens tokens;

    /** Over the identities of a simulated cluster ({@code SimulatedCluster.tokens()}). */
    public SimAuthenticator(SimTokens tokens) {
        this.tokens = tokens;
    }

    /** With an identity source of its own (a front that is not in front of a simulated cluster with RBAC). */
    public SimAuthenticator() {
        this(new SimTokens());
    }

    /** The identity source (shared with the cluster when built from its tokens). */
    public SimTokens tokens() {
        return tokens;
    }

    /** Accepts {@code token} as {@code user} in {@code groups} (a line of a static token file). */
    public SimAuthenticator token(String token, String user, List<String> groups) {
        tokens.token(token, user, groups);
        return this;
    }

    /** Accepts {@code user} with {@code password} (a line of a static password file). */
    public SimAuthenticator password(String user, String password, List<String> groups) {
        tokens.password(user, password, groups);
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
        return tokens.authenticate(authorization);
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
            return user == null ? Optional.empty() : Optional.of(UserInfo.authenticated(user, groups));
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
