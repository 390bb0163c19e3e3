package io.jenkins.plugins.kubeplatform.sim.kubevirt;

import java.util.Locale;
import java.util.Optional;

/** A way a simulated VM can fail to come up; each maps to what KubeVirt shows in {@code status.printableStatus}. */
public enum VmFailure {
    /** The VMI never leaves Scheduled; the VM stays {@code Starting}. */
    STUCK_STARTING("Starting", "Scheduled"),
    /** The guest keeps crashing; the VM shows {@code CrashLoopBackOff}. */
    CRASH_LOOP("CrashLoopBackOff", "Failed"),
    /** No host can take the VMI; the VM shows {@code ErrorUnschedulable}. */
    UNSCHEDULABLE("ErrorUnschedulable", "Pending"),
    /** The VM runs but its join fails (no node registers), like a wrong token or an unreachable control plane. */
    NO_JOIN("Running", "Running");

    /** Annotation on a VirtualMachine that makes every boot of it fail this way (value: the lower-case name). */
    public static final String ANNOTATION = "sim.kubeplatform.jenkins.io/vm-failure";

    private final String printableStatus;
    private final String vmiPhase;

    VmFailure(String printableStatus, String vmiPhase) {
        this.printableStatus = printableStatus;
        this.vmiPhase = vmiPhase;
    }

    public String printableStatus() {
        return printableStatus;
    }

    public String vmiPhase() {
        return vmiPhase;
    }

    /** The annotation value, e.g. {@code stuck-starting}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<VmFailure> parse(String value) {
        for (VmFailure f : values()) {
            if (f.id().equals(value)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
