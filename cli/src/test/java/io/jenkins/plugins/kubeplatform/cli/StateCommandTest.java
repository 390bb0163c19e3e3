package io.jenkins.plugins.kubeplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmEngine;
import io.jenkins.plugins.kubeplatform.engine.edgevm.Inventory;
import io.jenkins.plugins.kubeplatform.engine.edgevm.VmRecord;
import io.jenkins.plugins.kubeplatform.engine.edgevm.VmState;
import io.jenkins.plugins.kubeplatform.engine.expose.DomainRegistry;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code state verify|restore} on damaged domain registry and inventory files: named, never written over. */
class StateCommandTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private Path state;

    @BeforeEach
    void threeClaimsAndTwoVms() {
        state = dir.resolve("state");
        var registry = DomainRegistry.fileStore(state);
        for (int i = 0; i < 3; i++) {
            int n = i;
            registry.update(r -> Update.to(r.with(new DomainRegistry.Entry("app-" + n + ".apps.example.com", "shop",
                    "app-" + n, "app-" + n, 8080, "ingress", "app-" + n, null, "alice", "expose", T0)), null));
        }
        var inventory = EdgeVmEngine.inventoryStore(state);
        for (int i = 0; i < 2; i++) {
            int n = i;
            inventory.update(inv -> Update.to(inv.add(VmRecord.builder().vm("edge-" + n).name("build-" + n)
                    .tenant("team-a").site("paris").siteCluster("site").namespace("edge").edgeCluster("ec").cpu(2)
                    .memoryMi(2048).diskGi(10).image("img").state(VmState.RUNNING).start(T0).build()),
                    null));
        }
    }

    private CliRunner.Run run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--state-dir";
        all[1] = state.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRunner.run(all);
    }

    private byte[] damage(String file, UnaryOperator<byte[]> change) throws Exception {
        Path path = state.resolve(file);
        byte[] damaged = change.apply(Files.readAllBytes(path));
        Files.write(path, damaged);
        return damaged;
    }

    /** verify exits 1 naming the damage, a command using the store refuses, and the file keeps its bytes. */
    private void assertReportedAndUntouched(String file, byte[] damaged, String problem, String... using) {
        CliRunner.Run verify = run("state", "verify");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isEqualTo(1);
        assertThat(verify.out()).contains(file).contains("DAMAGED").contains(problem)
                .contains("kubeplatform state restore");
        CliRunner.Run use = run(using);
        assertThat(use.exitCode()).isEqualTo(1);
        assertThat(use.err()).contains(state.resolve(file).toString()).contains(problem)
                .contains("kubeplatform state restore").doesNotContain("unexpected error");
        assertThat(state.resolve(file)).hasBinaryContent(damaged);
    }

    @Test
    void reportsEveryStoreIntactWithItsBackups() throws Exception {
        CliRunner.Run verify = run("--output", "json", "state", "verify");

        assertThat(verify.exitCode()).as(verify.err()).isZero();
        JsonNode json = Json.mapper().readTree(verify.out());
        assertThat(json.get("healthy").asBoolean()).isTrue();
        // three claims: generation 3 and backups 1, 2; two VMs: generation 2 and backup 1; no ledger yet
        assertThat(json.get("files").findValuesAsText("file")).containsExactly("ip-ledger", "domains.json",
                "domains.json.bak-2", "domains.json.bak-1", "edge-inventory.json", "edge-inventory.json.bak-1");
    }

    @Test
    void reportsARegistryOverwrittenWithRandomBytes() throws Exception {
        byte[] damaged = damage("domains.json", b -> {
            byte[] noise = new byte[b.length];
            new Random(7).nextBytes(noise);
            noise[0] = 0;
            return noise;
        });
        assertReportedAndUntouched("domains.json", damaged, "does not start with a kubeplatform state header",
                "expose", "list");
    }

    @Test
    void reportsAnEmptiedInventory() throws Exception {
        byte[] damaged = damage("edge-inventory.json", b -> new byte[0]);
        assertReportedAndUntouched("edge-inventory.json", damaged, "it is empty (0 bytes)", "edge-vm", "inventory");
    }

    @Test
    void reportsATruncatedInventory() throws Exception {
        byte[] damaged = damage("edge-inventory.json", b -> Arrays.copyOf(b, b.length / 2));
        assertReportedAndUntouched("edge-inventory.json", damaged, "it is truncated", "edge-vm", "inventory");
    }

    @Test
    void reportsAFlippedByteInTheInventoryAndRestoresTheNewestBackup() throws Exception {
        byte[] damaged = damage("edge-inventory.json", b -> {
            b[b.length - 20] ^= 0x04;
            return b;
        });
        assertReportedAndUntouched("edge-inventory.json", damaged, "fails its CRC-32C checksum", "edge-vm",
                "inventory");

        CliRunner.Run restore = run("state", "restore", "edge-inventory");

        assertThat(restore.exitCode()).as(restore.err()).isZero();
        assertThat(restore.out()).contains("Restored edge-inventory.json from edge-inventory.json.bak-1")
                .contains("kept the replaced file as edge-inventory.json.damaged-");
        assertThat(EdgeVmEngine.inventoryStore(state).read().vms()).extracting(VmRecord::vm).containsExactly("edge-0");
        try (var files = Files.list(state)) {
            Path kept = files.filter(p -> p.getFileName().toString().startsWith("edge-inventory.json.damaged-"))
                    .findFirst().orElseThrow();
            assertThat(kept).hasBinaryContent(damaged);
        }
        assertThat(run("state", "verify").exitCode()).isZero();
    }

    @Test
    void refusesToRestoreAnIntactRegistryWithoutANamedBackup() {
        CliRunner.Run restore = run("state", "restore", "domains");

        assertThat(restore.exitCode()).isEqualTo(2);
        assertThat(restore.err()).contains("--backup").contains("domains.json is intact");
        assertThat(DomainRegistry.fileStore(state).read().hosts()).hasSize(3);

        CliRunner.Run rollback = run("state", "restore", "domains", "--backup", "1");

        assertThat(rollback.exitCode()).as(rollback.err()).isZero();
        assertThat(DomainRegistry.fileStore(state).read().hosts()).containsOnlyKeys("app-0.apps.example.com");
    }

    @Test
    void namesAnInventoryRecordWithoutStateInsteadOfFailingWithANullPointer() throws Exception {
        String first = "{\"format\":\"kubeplatform-state/1\",\"kind\":\"" + Inventory.KIND + "\",\"data\":{\"vms\":"
                + "[{\"vm\":\"edge-9\",\"name\":\"b\",\"tenant\":\"t\",\"site\":\"s\",\"namespace\":\"n\","
                + "\"start\":\"2026-01-01T00:00:00Z\"}]}}";
        Files.writeString(state.resolve("edge-inventory.json"), first);

        CliRunner.Run list = run("edge-vm", "inventory");

        assertThat(list.exitCode()).isEqualTo(1);
        assertThat(list.err()).contains("vms[0] (vm 'edge-9'): state missing").doesNotContain("NullPointer")
                .doesNotContain("unexpected error");
        assertThat(state.resolve("edge-inventory.json")).hasContent(first);
    }

    @Test
    void refusesAnUnknownStore() {
        CliRunner.Run restore = run("state", "restore", "registry");

        assertThat(restore.exitCode()).isEqualTo(2);
        assertThat(restore.err()).contains("'registry' is not a store");
    }
}
