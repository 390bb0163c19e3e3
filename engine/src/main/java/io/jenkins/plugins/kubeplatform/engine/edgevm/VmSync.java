package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The state sync (EVM-8): observes every live VM, lets {@link SyncDecider} decide (restart, recreate, give up, mark
 * joined or nothing), acts, and records the sync's bookkeeping in the inventory.
 */
final class VmSync {

    private final EdgeSettings settings;
    private final EdgeInventory inventory;
    private final EdgeCalls calls;
    private final VmCreation creation;
    private final Clock clock;

    VmSync(EdgeSettings settings, EdgeInventory inventory, EdgeCalls calls, VmCreation creation, Clock clock) {
        this.settings = settings;
        this.inventory = inventory;
        this.calls = calls;
        this.creation = creation;
        this.clock = clock;
    }

    List<String> sync(Progress progress) {
        List<String> report = new ArrayList<>();
        SyncDecider.Timeouts timeouts = new SyncDecider.Timeouts(settings.startTimeoutDuration(),
                settings.joinTimeoutDuration(), settings.maxAttemptsValue());
        for (VmRecord record : inventory.read().live()) {
            SyncDecider.Decision decision = SyncDecider.decide(record, observe(record), clock.instant(), timeouts);
            SyncDecider.Action action = decision.action();
            act(record, action, progress);
            report.add(action.getClass().getSimpleName().toLowerCase(Locale.ROOT) + ": " + action.reason());
            inventory.recordSync(record, decision.next());
        }
        return report;
    }

    private void act(VmRecord record, SyncDecider.Action action, Progress progress) {
        if (action instanceof SyncDecider.Restart) {
            progress.step(action.reason());
            restart(record);
        } else if (action instanceof SyncDecider.Recreate) {
            progress.step(action.reason());
            recreate(record, progress);
        } else if (action instanceof SyncDecider.GiveUp) {
            progress.warn(action.reason());
        } else if (action instanceof SyncDecider.MarkJoined) {
            progress.step(action.reason());
        }
    }

    private SyncDecider.Observation observe(VmRecord record) {
        GenericKubernetesResource vm = calls.virtualMachine(record);
        Node node = calls.node(inventory.edgeCluster(record.edgeCluster()), record.vm());
        Optional<Boolean> ready = node == null ? Optional.empty() : Optional.of(EdgeCalls.isReady(node));
        Optional<String> address = vm == null ? Optional.empty() : calls.vmiAddress(record);
        return new SyncDecider.Observation(vm != null, vm == null ? Optional.empty() : KubeVirt.printableStatus(vm),
                ready, address);
    }

    /** Restarts the guest the way KubeVirt does for runStrategy Always: the VMI goes, the VM controller makes a new one. */
    private void restart(VmRecord record) {
        KubernetesClient site = calls.client(record.siteCluster());
        calls.deleteIgnoringMissing(() -> site.genericKubernetesResources(KubeVirt.VIRTUAL_MACHINE_INSTANCE)
                .inNamespace(record.namespace()).withName(record.vm()).delete());
    }

    private void recreate(VmRecord record, Progress progress) {
        KubernetesClient site = calls.client(record.siteCluster());
        calls.deleteIgnoringMissing(() -> site.genericKubernetesResources(KubeVirt.VIRTUAL_MACHINE)
                .inNamespace(record.namespace()).withName(record.vm()).delete());
        try {
            Await.until("VirtualMachine " + record.namespace() + "/" + record.vm() + " to be deleted",
                    record.namespace(), record.vm(), site.genericKubernetesResources(KubeVirt.VIRTUAL_MACHINE)
                            .inNamespace(record.namespace()).withField("metadata.name", record.vm()), Objects::isNull,
                    Duration.ofMinutes(2), calls.retry(), progress);
        } catch (KubernetesClientTimeoutException e) {
            throw new OperationFailedException("VirtualMachine " + record.namespace() + "/" + record.vm()
                    + " is still terminating after 2m; the next sync retries", e);
        }
        for (ObjectWrite w : creation.writes(new CreateDecision.Existing(record), inventory.read())) {
            w.apply(false, progress);
        }
    }
}
