package io.jenkins.plugins.kubeplatform.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.edgevm.Inventory;
import io.jenkins.plugins.kubeplatform.engine.edgevm.VmRecord;
import io.jenkins.plugins.kubeplatform.engine.edgevm.VmState;
import io.jenkins.plugins.kubeplatform.engine.expose.DomainRegistry;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Domain claims and inventory records against a file system that loses its page cache at a power cut placed at every
 * write boundary (issue 23, item 3): every acknowledged change survives every cut and the store opens. The same runs
 * with one {@code force()} or the directory fsync skipped lose acknowledged changes, which shows the test bites.
 */
class StatePowerCutTest {

    private static final Path STATE = Path.of("/pagecache/state");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    // ---- domain registry: claims ----

    private static String host(int i) {
        return "app-" + i + ".apps.example.com";
    }

    private static DomainRegistry.Entry entry(int i) {
        return new DomainRegistry.Entry(host(i), "shop", "app-" + i, "app-" + i, 8080, "ingress", "app-" + i, null,
                "alice", "expose", T0.plusSeconds(i));
    }

    /** A claim is "+n", a release "-n"; the run does them in this order. */
    private static final List<String> CLAIMS = List.of("+0", "+1", "+2", "+3", "+4", "-1");

    private static void claims(FileIo io, List<String> acknowledged) {
        AtomicFileStore<DomainRegistry> store = DomainRegistry.fileStore(STATE, io);
        for (String op : CLAIMS) {
            int n = Integer.parseInt(op.substring(1));
            store.update(r -> Update.to(op.startsWith("+") ? r.with(entry(n)) : r.without(host(n)), null));
            acknowledged.add(op);
        }
    }

    /** The hosts after the first {@code count} operations, computed without the code under test. */
    private static java.util.Set<String> hostsAfter(int count) {
        java.util.Set<String> hosts = new java.util.TreeSet<>();
        for (String op : CLAIMS.subList(0, Math.min(count, CLAIMS.size()))) {
            String host = host(Integer.parseInt(op.substring(1)));
            if (op.startsWith("+")) {
                hosts.add(host);
            } else {
                hosts.remove(host);
            }
        }
        return hosts;
    }

    private static Optional<String> claimsSurvive(FileIo rebooted, List<String> acknowledged) {
        java.util.Set<String> found = new java.util.TreeSet<>(DomainRegistry.fileStore(STATE, rebooted).read()
                .hosts().keySet());
        int k = acknowledged.size();
        // the acknowledged claims and releases, with or without the one in flight at the cut
        return found.equals(hostsAfter(k)) || found.equals(hostsAfter(k + 1)) ? Optional.empty()
                : Optional.of("found " + found + ", acknowledged " + hostsAfter(k) + " (lost or invented claims)");
    }

    @Test
    void keepsEveryAcknowledgedClaimWhenPowerIsCutAtAnyWriteBoundary() throws Exception {
        PowerCuts.Report report = PowerCuts.explore(PageCacheFileSystem::new, StatePowerCutTest::claims,
                StatePowerCutTest::claimsSurvive);

        assertThat(report.maxAcknowledged()).isEqualTo(6);
        // 6 updates x (backup link; new file: create, write, force, rename; directory fsync)
        assertThat(report.boundaries()).isGreaterThan(30);
        System.out.println(report.boundaries() + " write boundaries, " + report.reboots() + " reboots checked");
        assertThat(report.problems()).isEmpty();
    }

    @Test
    void losesAcknowledgedClaimsWhenTheForceOfTheNewFileIsSkipped() throws Exception {
        Supplier<PageCacheFileSystem> withoutForce = () -> new PageCacheFileSystem()
                .skipForce(p -> p.getFileName().toString().startsWith(".domains.json.tmp-"));

        PowerCuts.Report report = PowerCuts.explore(withoutForce, StatePowerCutTest::claims,
                StatePowerCutTest::claimsSurvive);

        // the rename becomes durable with the directory fsync, the bytes behind it never did
        assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("it is empty (0 bytes)"));
    }

    @Test
    void losesAcknowledgedClaimsWhenTheDirectoryFsyncIsSkipped() throws Exception {
        Supplier<PageCacheFileSystem> withoutDirectorySync = () -> new PageCacheFileSystem().skipDirectorySync();

        PowerCuts.Report report = PowerCuts.explore(withoutDirectorySync, StatePowerCutTest::claims,
                StatePowerCutTest::claimsSurvive);

        assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("ALL_UNSYNCED").contains("lost or invented claims"));
    }

    // ---- inventory: VM records ----

    private static VmRecord vm(int i, VmState state) {
        return VmRecord.builder().vm("edge-" + i).name("build-" + i).tenant("team-a").site("paris").siteCluster("site")
                .namespace("edge").edgeCluster("ec").cpu(2).memoryMi(2048).diskGi(10).image("img").state(state)
                .start(T0).end(state == VmState.DELETED ? T0.plusSeconds(60) : null).build();
    }

    /** Each operation sets one VM record's state ("vm=STATE"); the run does them in this order. */
    private static final List<String> RECORDS = List.of("edge-0=PROVISIONING", "edge-1=PROVISIONING",
            "edge-2=PROVISIONING", "edge-3=PROVISIONING", "edge-2=RUNNING", "edge-0=DELETED");

    private static void records(FileIo io, List<String> acknowledged) {
        AtomicFileStore<Inventory> store = Inventory.fileStore(STATE, io);
        for (String op : RECORDS) {
            String vm = op.split("=")[0];
            VmState state = VmState.valueOf(op.split("=")[1]);
            store.update(inv -> Update.to(inv.liveVm(vm).isEmpty()
                    ? inv.add(vm(Integer.parseInt(vm.substring(5)), state))
                    : inv.update(vm, r -> state == VmState.DELETED ? r.ended(T0.plusSeconds(60))
                            : r.toBuilder().state(state).build()),
                    null));
            acknowledged.add(op);
        }
    }

    /** VM to state after the first {@code count} operations, computed without the code under test. */
    private static java.util.Map<String, String> statesAfter(int count) {
        java.util.Map<String, String> states = new java.util.TreeMap<>();
        RECORDS.subList(0, Math.min(count, RECORDS.size())).forEach(op -> states.put(op.split("=")[0],
                op.split("=")[1]));
        return states;
    }

    private static Optional<String> recordsSurvive(FileIo rebooted, List<String> acknowledged) {
        java.util.Map<String, String> found = new java.util.TreeMap<>();
        Inventory.fileStore(STATE, rebooted).read().vms().forEach(r -> found.put(r.vm(), r.state().name()));
        int k = acknowledged.size();
        return found.equals(statesAfter(k)) || found.equals(statesAfter(k + 1)) ? Optional.empty()
                : Optional.of("found " + found + ", acknowledged " + statesAfter(k) + " (lost or invented records)");
    }

    @Test
    void keepsEveryAcknowledgedInventoryRecordWhenPowerIsCutAtAnyWriteBoundary() throws Exception {
        PowerCuts.Report report = PowerCuts.explore(PageCacheFileSystem::new, StatePowerCutTest::records,
                StatePowerCutTest::recordsSurvive);

        assertThat(report.maxAcknowledged()).isEqualTo(6);
        System.out.println(report.boundaries() + " write boundaries, " + report.reboots() + " reboots checked");
        assertThat(report.problems()).isEmpty();
    }

    @Test
    void losesAcknowledgedInventoryRecordsWhenTheForceOfTheNewFileIsSkipped() throws Exception {
        Supplier<PageCacheFileSystem> withoutForce = () -> new PageCacheFileSystem()
                .skipForce(p -> p.getFileName().toString().startsWith(".edge-inventory.json.tmp-"));

        PowerCuts.Report report = PowerCuts.explore(withoutForce, StatePowerCutTest::records,
                StatePowerCutTest::recordsSurvive);

        assertThat(report.problems()).isNotEmpty();
    }

    // ---- ENOSPC and read-only directories ----

    @Test
    void reportsAFullDiskNamingTheFileAndKeepsEveryAcknowledgedClaim() throws Exception {
        PageCacheFileSystem fs = new PageCacheFileSystem();
        AtomicFileStore<DomainRegistry> store = DomainRegistry.fileStore(STATE, fs);
        store.update(r -> Update.to(r.with(entry(0)), null));
        store.update(r -> Update.to(r.with(entry(1)), null));
        byte[] before = fs.contents(STATE.resolve("domains.json"));

        fs.diskFullFromWrite(1); // the backup is a hard link (no bytes); the new file's bytes cannot be written
        assertThatThrownBy(() -> store.update(r -> Update.to(r.with(entry(2)), null)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(STATE.resolve("domains.json").toString())
                .hasMessageContaining("No space left on device")
                .hasMessageContaining("nothing was changed");

        assertThat(fs.contents(STATE.resolve("domains.json"))).isEqualTo(before);
        assertThat(store.read().hosts()).containsOnlyKeys(host(0), host(1));
        PageCacheFileSystem rebooted = fs.afterPowerCut(PageCacheFileSystem.Loss.ALL_UNSYNCED, 1);
        assertThat(DomainRegistry.fileStore(STATE, rebooted).read().hosts()).containsOnlyKeys(host(0), host(1));
        assertThat(rebooted.list(STATE)).noneMatch(p -> p.getFileName().toString().contains(".tmp-"));

        fs.diskFullFromWrite(Long.MAX_VALUE);
        store.update(r -> Update.to(r.with(entry(2)), null));
        assertThat(store.read().hosts()).containsOnlyKeys(host(0), host(1), host(2));
    }

    @Test
    void reportsAReadOnlyDirectoryNamingTheFileAndStillReads() throws Exception {
        PageCacheFileSystem fs = new PageCacheFileSystem();
        AtomicFileStore<Inventory> store = Inventory.fileStore(STATE, fs);
        store.update(inv -> Update.to(inv.add(vm(0, VmState.RUNNING)), null));
        byte[] before = fs.contents(STATE.resolve("edge-inventory.json"));

        fs.readOnly(STATE);
        assertThatThrownBy(() -> store.update(inv -> Update.to(inv.add(vm(1, VmState.RUNNING)), null)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(STATE.resolve("edge-inventory.json").toString())
                .hasMessageContaining("Read-only file system");

        assertThat(store.read().vms()).extracting(VmRecord::vm).containsExactly("edge-0");
        assertThat(fs.contents(STATE.resolve("edge-inventory.json"))).isEqualTo(before);
    }
}
