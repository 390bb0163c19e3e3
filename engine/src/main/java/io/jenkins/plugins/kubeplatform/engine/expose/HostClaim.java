package io.jenkins.plugins.kubeplatform.engine.expose;

import java.time.Instant;

/**
 * Who holds a host. {@code requestedBy} says which build or user made the claim (for the conflict message);
 * {@code upstream} is set only for hosts served by the platform's nginx without a route object.
 */
public record HostClaim(String host, Owner owner, String requestedBy, Instant claimedAt, String upstream) {
}
