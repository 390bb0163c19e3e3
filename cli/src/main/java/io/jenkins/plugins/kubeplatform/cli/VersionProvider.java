package io.jenkins.plugins.kubeplatform.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version recorded in the jar manifest at build time. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = KubePlatformCli.class.getPackage().getImplementationVersion();
        return new String[] {"kubeplatform " + (version == null ? "(development build)" : version)
                + " (Kubernetes Platform Steps, fabric8 kubernetes-client "
                + io.fabric8.kubernetes.client.Version.clientVersion() + ")"};
    }
}
