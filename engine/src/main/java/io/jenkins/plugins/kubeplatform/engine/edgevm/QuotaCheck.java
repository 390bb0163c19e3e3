package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.util.Collection;

/** EVM-4: a tenant's live VMs (running and idle) plus the request must fit its quota. */
public final class QuotaCheck {

    private QuotaCheck() {
    }

    /** Throws naming the exceeded dimension; returns a one-line summary of the usage after the request. */
    public static String check(EdgeSettings settings, EdgeVmRequest request, Collection<VmRecord> live) {
        EdgeSettings.TenantQuota quota = settings.quota(request.tenant()).orElseThrow(() -> new InvalidInputException(
                "tenant", "'" + request.tenant() + "' has no edge quota; an administrator must add one under edgeVms.quotas"));
        int vms = 0;
        long cpu = 0;
        long memoryMi = 0;
        for (VmRecord r : live) {
            if (r.tenant().equals(request.tenant()) && r.state().holdsResources()) {
                vms++;
                cpu += r.cpu();
                memoryMi += r.memoryMi();
            }
        }
        long quotaMemory = Quantities.mebibytes("edge quota memory", quota.memory());
        String usage = "tenant " + request.tenant() + " holds " + vms + " VM(s), " + cpu + " vCPU, "
                + Quantities.mi(memoryMi);
        if (vms + 1 > quota.vms()) {
            throw new InvalidInputException("tenant", "quota exceeded: " + usage + "; one more VM would exceed its "
                    + "limit of " + quota.vms() + " VM(s). Delete or reuse (release) a VM, or ask for a higher quota");
        }
        if (cpu + request.cpu() > quota.cpu()) {
            throw new InvalidInputException("cpu", "quota exceeded: " + usage + "; " + request.cpu() + " more vCPU "
                    + "would exceed its limit of " + quota.cpu() + " vCPU");
        }
        if (memoryMi + request.memoryMi() > quotaMemory) {
            throw new InvalidInputException("memory", "quota exceeded: " + usage + "; " + Quantities.mi(request.memoryMi())
                    + " more would exceed its limit of " + quota.memory());
        }
        return "quota ok: " + (vms + 1) + "/" + quota.vms() + " VMs, " + (cpu + request.cpu()) + "/" + quota.cpu()
                + " vCPU, " + Quantities.mi(memoryMi + request.memoryMi()) + "/" + quota.memory() + " for tenant "
                + request.tenant();
    }
}
