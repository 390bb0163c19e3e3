package io.jenkins.plugins.kubeplatform.engine.repair;

/** Where the repair action itself is, as the driver that runs it knows (not recorded on the node). */
public record RepairStatus(Phase phase, String message) {

    /** Repair action phases. */
    public enum Phase { NOT_STARTED, RUNNING, SUCCEEDED, FAILED }

    public static final RepairStatus NOT_STARTED = new RepairStatus(Phase.NOT_STARTED, "");
    public static final RepairStatus RUNNING = new RepairStatus(Phase.RUNNING, "");

    public static RepairStatus succeeded() {
        return new RepairStatus(Phase.SUCCEEDED, "");
    }

    public static RepairStatus failed(String message) {
        return new RepairStatus(Phase.FAILED, message == null || message.isBlank() ? "the repair failed" : message);
    }
}
