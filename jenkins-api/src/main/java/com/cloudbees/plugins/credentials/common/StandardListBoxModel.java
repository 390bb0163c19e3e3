package com.cloudbees.plugins.credentials.common;

/** Stand-in for credentials-plugin {@code common.StandardListBoxModel}. */
public class StandardListBoxModel extends AbstractIdCredentialsListBoxModel<StandardListBoxModel, StandardCredentials> {

    private static final long serialVersionUID = 1L;

    @Override
    protected String describe(StandardCredentials c) {
        throw new UnsupportedOperationException("stand-in");
    }
}
