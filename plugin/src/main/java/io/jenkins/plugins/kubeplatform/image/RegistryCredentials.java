package io.jenkins.plugins.kubeplatform.image;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.model.Run;
import io.jenkins.plugins.kubeplatform.engine.image.RegistryCredential;

/** Resolves a username/password credentials ID in the context of a build into the engine's registry credential. */
final class RegistryCredentials {

    private RegistryCredentials() {
    }

    /** Empty ID: anonymous. Unknown ID or another credential type: the build stops with a message naming the ID. */
    static RegistryCredential resolve(String credentialsId, String field, Run<?, ?> run) throws AbortException {
        if (credentialsId == null || credentialsId.isBlank()) {
            return RegistryCredential.anonymous();
        }
        StandardUsernamePasswordCredentials c = CredentialsProvider.findCredentialById(credentialsId,
                StandardUsernamePasswordCredentials.class, run);
        if (c == null) {
            throw new AbortException(Messages.ImageBuild_CredentialNotFound(field, credentialsId));
        }
        CredentialsProvider.track(run, c);
        return new RegistryCredential.UsernamePassword(c.getUsername(), c.getPassword().getPlainText());
    }
}
