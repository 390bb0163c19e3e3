package io.jenkins.plugins.kubeplatform.engine.edgevm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.engine.store.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryExportTest {

    @Test
    void exportsEveryVmIncludingDeletedOnesAsCsvAndJson() throws Exception {
        VmRecord running = EdgeFixtures.record("demo", "web", "paris", "edge-par", 2, 2048, VmState.RUNNING);
        VmRecord deleted = EdgeFixtures.record("demo", "old", "paris", "edge-par", 1, 1024, VmState.RUNNING)
                .ended(EdgeFixtures.T0.plusSeconds(3600));
        Inventory inventory = new Inventory(List.of(running, deleted), List.of());

        String csv = InventoryExport.csv(inventory);
        assertThat(csv.split("\r\n")).containsExactly(
                "tenant,name,vm,site,edgeCluster,node,cpu,memoryMi,diskGi,image,state,start,end,address",
                "demo,web,demo-web,paris,edge-par,demo-web,2,2048,10,quay.io/containerdisks/ubuntu:22.04,RUNNING,"
                        + "2026-11-30T05:00:00Z,,",
                "demo,old,demo-old,paris,edge-par,demo-old,1,1024,10,quay.io/containerdisks/ubuntu:22.04,DELETED,"
                        + "2026-11-30T05:00:00Z,2026-11-30T06:00:00Z,");
        var json = Json.mapper().readTree(InventoryExport.json(inventory));
        assertThat(json.path("vms").get(1).path("end").asText()).isEqualTo("2026-11-30T06:00:00Z");
        assertThat(json.path("vms").get(0).path("cpu").asInt()).isEqualTo(2);
    }

    @Test
    void quotesAndNeutralisesSpreadsheetFormulas() {
        assertThat(InventoryExport.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(InventoryExport.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(InventoryExport.cell("-12")).isEqualTo("-12");
    }
}
