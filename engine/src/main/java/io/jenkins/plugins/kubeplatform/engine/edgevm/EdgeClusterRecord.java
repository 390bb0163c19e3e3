package io.jenkins.plugins.kubeplatform.engine.edgevm;

import java.time.Instant;

/**
 * An edge cluster (node group) created by planning, kept in the inventory so later requests see it.
 *
 * @param settings  how it is reached and joined (from the {@code newClusters} template)
 * @param site      the site it was created for
 * @param exclusive created for one exclusive VM; never offered to other VMs
 * @param created   when it was created
 */
public record EdgeClusterRecord(EdgeSettings.EdgeCluster settings, String site, boolean exclusive, Instant created) {
}
