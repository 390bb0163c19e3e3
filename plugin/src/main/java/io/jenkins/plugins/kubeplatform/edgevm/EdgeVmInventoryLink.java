package io.jenkins.plugins.kubeplatform.edgevm;

import hudson.Extension;
import io.jenkins.plugins.kubeplatform.common.StatusPageLink;
import io.jenkins.plugins.kubeplatform.engine.edgevm.InventoryExport;
import io.jenkins.plugins.kubeplatform.engine.edgevm.VmRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/** Manage Jenkins › Edge VM inventory: every VM with tenant, place, resources, start and end (read only). */
@Extension
@ExportedBean
public final class EdgeVmInventoryLink extends StatusPageLink {

    public EdgeVmInventoryLink() {
        super("symbol-server-outline plugin-ionicons-api", "kubeplatform-edge-vms", Jenkins.ADMINISTER);
    }

    @Override
    public String getDisplayName() {
        return Messages.EdgeVmInventoryLink_DisplayName();
    }

    @Override
    public String getDescription() {
        return Messages.EdgeVmInventoryLink_Description();
    }

    /** The inventory as {@code api/json} writes it, newest first. */
    @Exported(name = "vms", inline = true)
    public List<Map<String, Object>> getInventory() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (VmRecord r : getVms()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tenant", r.tenant());
            m.put("name", r.name());
            m.put("vm", r.vm());
            m.put("site", r.site());
            m.put("edgeCluster", r.edgeCluster());
            m.put("node", r.node());
            m.put("cpu", r.cpu());
            m.put("memoryMi", r.memoryMi());
            m.put("diskGi", r.diskGi());
            m.put("state", String.valueOf(r.state()));
            m.put("start", String.valueOf(r.start()));
            m.put("end", String.valueOf(r.end()));
            out.add(m);
        }
        return out;
    }

    /** The inventory, newest first, for index.jelly. */
    public List<VmRecord> getVms() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        List<VmRecord> vms = new java.util.ArrayList<>(EdgeVmInventories.get().read()
                .vms());
        java.util.Collections.reverse(vms);
        return vms;
    }

    /** The same rows as {@code kubeplatform edge-vm inventory --csv}, shown for copying into billing. */
    public String getCsv() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return InventoryExport.csv(EdgeVmInventories.get().read());
    }
}
