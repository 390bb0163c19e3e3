package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The decision of a create, a pure function of settings, inventory, request and observed node counts: the existing
 * VM, else an idle VM to reuse ({@link IdleVmReuse}), else a new placement ({@link VmPlacement}). The real run decides
 * under the inventory's lock, the plan and the permission pre-check on the inventory as read.
 */
final class CreateDecider {

    private CreateDecider() {
    }

    static Update<Inventory, CreateDecision> decide(EdgeSettings settings, Inventory inventory, EdgeVmRequest request,
                                                    Map<String, Integer> observedNodes, Instant now) {
        Optional<VmRecord> same = inventory.live(request.tenant(), request.name());
        if (same.isPresent() && same.get().state() != VmState.IDLE) {
            return Update.unchanged(inventory, new CreateDecision.Existing(same.get()));
        }
        Optional<VmRecord> idle = IdleVmReuse.candidate(inventory, request);
        if (idle.isPresent()) {
            VmRecord before = idle.get();
            VmRecord reused = IdleVmReuse.reused(before, request);
            return Update.to(inventory.update(before.vm(), r -> reused), new CreateDecision.Reuse(reused, before));
        }
        return VmPlacement.place(settings, inventory, request, observedNodes, now);
    }
}
