package io.jenkins.plugins.kubeplatform.kube;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.security.ACL;
import java.util.List;
import java.util.Optional;
import jenkins.model.Jenkins;

/**
 * Where a cluster's credential must live. The cluster connections are global, and so is the work that runs outside
 * builds (sticky IP garbage collection and adoption, domain and edge sync, the management pages): it resolves the
 * credential as SYSTEM at the root of Jenkins, where only global credentials are visible. A credential stored in a
 * folder would work for that folder's builds and fail everywhere else, so the configuration refuses it.
 */
@FunctionalInterface
public interface CredentialScope {

    /** Whether a credential with this ID is visible at the root of Jenkins (a global or system credential). */
    boolean isGlobal(String credentialsId);

    /** The credentials of the running Jenkins. */
    CredentialScope JENKINS = id -> CredentialsMatchers.firstOrNull(
            CredentialsProvider.lookupCredentialsInItemGroup(StandardCredentials.class, Jenkins.get(), ACL.SYSTEM2,
                    List.of()), CredentialsMatchers.withId(id)) != null;

    /** The refusal for a credential that is not global, naming the cluster and what to do. */
    static Optional<String> problem(String credentialsId, String cluster, CredentialScope scope) {
        if (credentialsId == null || credentialsId.isBlank() || scope.isGlobal(credentialsId.trim())) {
            return Optional.empty();
        }
        return Optional.of(message(credentialsId.trim(), cluster));
    }

    static String message(String credentialsId, String cluster) {
        return "Credential '" + credentialsId + "' of cluster '" + (cluster == null ? "" : cluster.trim())
                + "' is not a global credential (it is missing or stored in a folder). Garbage collection, adoption, "
                + "sync and the management pages run as SYSTEM at the root of Jenkins and see only global "
                + "credentials: store it under Manage Jenkins \u203a Credentials \u203a System \u203a Global "
                + "credentials, or restrict who may use the cluster with Allowed folders and jobs.";
    }
}
