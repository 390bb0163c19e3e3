package io.jenkins.plugins.kubeplatform.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.edgevm.Inventory;
import io.jenkins.plugins.kubeplatform.engine.expose.DomainRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inventory and domain registry records are checked on load: a bad record is a named error, not an NPE later. */
class RecordValidationOnLoadTest {

    @TempDir
    Path dir;

    private static final String VM = "{\"vm\":\"edge-a1\",\"name\":\"build-1\",\"tenant\":\"team-a\",\"site\":\"paris\","
            + "\"siteCluster\":\"site\",\"namespace\":\"edge\",\"edgeCluster\":\"ec\",\"cpu\":2,\"memoryMi\":2048,"
            + "\"diskGi\":10,\"image\":\"img\",\"start\":\"2026-01-01T00:00:00Z\",\"attempts\":0";

    /** A checksummed file written by hand, so that the checksum is right and only the records are wrong. */
    private static void writeChecksummed(Path file, String kind, String content) throws Exception {
        byte[] body = content.getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update((kind + "\n7\n").getBytes(StandardCharsets.UTF_8));
        crc.update(body);
        Files.writeString(file, "kubeplatform-state/2 kind=" + kind + " generation=7 length=" + body.length
                + " crc32c=" + String.format("%08x", crc.getValue()) + "\n" + content);
    }

    @Test
    void namesTheVmRecordWithoutStateWhenTheInventoryLoads() throws Exception {
        writeChecksummed(dir.resolve("edge-inventory.json"), "edge-vm-inventory", "{\"vms\":[" + VM + "}]}");
        assertThatThrownBy(() -> Inventory.fileStore(dir, FileIo.nio()).read())
                .isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("edge-inventory.json")
                .hasMessageContaining("vms[0] (vm 'edge-a1'): state missing (one of [PROVISIONING, RUNNING, IDLE, "
                        + "FAILED, DELETED])");
    }

    @Test
    void namesTheVmRecordWithAnUnknownStateWhenTheInventoryLoads() throws Exception {
        writeChecksummed(dir.resolve("edge-inventory.json"), "edge-vm-inventory",
                "{\"vms\":[" + VM + ",\"state\":\"EXPLODED\"}]}");
        assertThatThrownBy(() -> Inventory.fileStore(dir, FileIo.nio()).read())
                .isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("record vms[0].state holds 'EXPLODED', which is not a valid VmState");
    }

    @Test
    void namesAVmRecordWithoutTenantInAFirstFormatInventory() throws Exception {
        Files.writeString(dir.resolve("edge-inventory.json"), "{\"format\":\"kubeplatform-state/1\",\"kind\":"
                + "\"edge-vm-inventory\",\"data\":{\"vms\":[" + VM.replace("\"tenant\":\"team-a\",", "")
                + ",\"state\":\"RUNNING\"}]}}");
        assertThatThrownBy(() -> Inventory.fileStore(dir, FileIo.nio()).read())
                .isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("vms[0] (vm 'edge-a1'): tenant missing");
    }

    @Test
    void readsAValidInventoryRecord() throws Exception {
        writeChecksummed(dir.resolve("edge-inventory.json"), "edge-vm-inventory",
                "{\"vms\":[" + VM + ",\"state\":\"IDLE\"}]}");
        assertThat(Inventory.fileStore(dir, FileIo.nio()).read().vms()).singleElement()
                .matches(r -> r.vm().equals("edge-a1") && r.state().name().equals("IDLE"));
    }

    private static String entry(String host, String namespace, String requestedBy) {
        return "\"" + host + "\":{\"host\":\"" + host + "\",\"namespace\":\"" + namespace + "\",\"app\":\"web\","
                + "\"service\":\"web\",\"port\":8080,\"route\":\"ingress\",\"requestedBy\":\"" + requestedBy
                + "\",\"source\":\"expose\",\"updatedAt\":\"2026-01-01T00:00:00Z\"}";
    }

    @Test
    void namesADomainEntryWhoseHostIsNotADnsName() throws Exception {
        writeChecksummed(dir.resolve("domains.json"), "domain-registry",
                "{\"hosts\":{" + entry("web_1.apps.example.com", "shop", "alice") + "}}");
        assertThatThrownBy(() -> DomainRegistry.fileStore(dir, FileIo.nio()).read())
                .isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("hosts['web_1.apps.example.com']: the host is not a lowercase DNS name");
    }

    @Test
    void namesADomainEntryWithABadOwnerOrAForgedLine() throws Exception {
        writeChecksummed(dir.resolve("domains.json"), "domain-registry", "{\"hosts\":{"
                + entry("web.apps.example.com", "Shop!", "alice\\nkeep/kapp-1 10.42.200.84") + "}}");
        assertThatThrownBy(() -> DomainRegistry.fileStore(dir, FileIo.nio()).read())
                .isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("owner namespace 'Shop!' is not a DNS label")
                .hasMessageContaining("a text field holds a line break");
    }

    @Test
    void readsAValidDomainEntry() throws Exception {
        writeChecksummed(dir.resolve("domains.json"), "domain-registry",
                "{\"hosts\":{" + entry("web.apps.example.com", "shop", "alice") + "}}");
        assertThat(DomainRegistry.fileStore(dir, FileIo.nio()).read().hosts()).containsOnlyKeys("web.apps.example.com");
    }
}
