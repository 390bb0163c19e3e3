package io.jenkins.plugins.kubeplatform.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version recorded in the jar manifest at build time. */
final class VersionProvider implements IVersionProvider {

    /** The version in the jar manifest, or {@code (development build)}. */
    static String version() {
        String version = KubePlatformCli.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"kubeplatform " + version()
                + " (Kubernetes Platform Steps, fabric8 kubernetes-client "
                + io.fabric8.kubernetes.client.Version.clientVersion() + ")"};
    }
}
