package io.jenkins.plugins.kubeplatform.repair;

import hudson.slaves.OfflineCause;

/** Marks an agent taken offline because the Kubernetes node it runs on is being repaired (and only those come back). */
public class RepairOfflineCause extends OfflineCause.SimpleOfflineCause {

    private final String node;

    public RepairOfflineCause(String node) {
        super(Messages._RepairOfflineCause_Description(node));
        this.node = node;
    }

    public String getNode() {
        return node;
    }
}
