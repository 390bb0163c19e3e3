package io.jenkins.plugins.kubeplatform.engine.repair;

/**
 * A Service that selects serving pods on the node: whether its endpoints still list a pod we deregistered, and
 * whether it has a ready endpoint on another node (a replacement taking the traffic).
 */
public record ServiceView(String ref, boolean listsDeregisteredPod, boolean readyElsewhere) {
}
