package io.jenkins.plugins.kubeplatform.engine.edgevm;

import java.util.List;

/** What a create request resolves to: the tenant's existing VM, an idle VM reused, or a freshly placed one. */
sealed interface CreateDecision {

    /** The VM the request ends up with. */
    VmRecord record();

    /** The tenant already has a live, non-idle VM of that name: converge its objects. */
    record Existing(VmRecord record) implements CreateDecision {
    }

    /** An idle VM of the tenant takes the request ({@code before}: as it was recorded while idle). */
    record Reuse(VmRecord record, VmRecord before) implements CreateDecision {
    }

    /** A new VM placed on a site and an edge cluster ({@code newCluster}: the cluster is created for it). */
    record Fresh(VmRecord record, boolean newCluster, List<String> explanation) implements CreateDecision {
    }
}
