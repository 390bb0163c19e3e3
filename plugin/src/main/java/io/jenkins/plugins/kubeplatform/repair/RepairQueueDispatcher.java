package io.jenkins.plugins.kubeplatform.repair;

import hudson.Extension;
import hudson.model.Node;
import hudson.model.Queue;
import hudson.model.queue.CauseOfBlockage;
import hudson.model.queue.QueueTaskDispatcher;

/** Keeps new builds off agents whose Kubernetes node is under repair, even if someone brings them online early. */
@Extension
public class RepairQueueDispatcher extends QueueTaskDispatcher {

    @Override
    public CauseOfBlockage canTake(Node node, Queue.BuildableItem item) {
        if (RepairingAgents.contains(node.getNodeName())) {
            return CauseOfBlockage.fromMessage(Messages._RepairQueueDispatcher_Blocked(node.getNodeName()));
        }
        return null;
    }
}
