package io.jenkins.plugins.kubeplatform.sim.controllers;

/**
 * A sync that did its part but could not finish (a pod create the API server refused): the error a real controller's
 * sync handler returns, so that its queue runs the object again after a rate-limited delay. Already reported (events,
 * status), so it carries no stack trace and is not logged as a fault.
 */
final class SyncError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SyncError(String message) {
        super(message, null, false, false);
    }
}
