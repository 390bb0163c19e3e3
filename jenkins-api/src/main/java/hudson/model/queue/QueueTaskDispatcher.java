package hudson.model.queue;

import hudson.ExtensionList;
import hudson.ExtensionPoint;
import hudson.model.Node;
import hudson.model.Queue;

/** Stand-in for jenkins-core {@code hudson.model.queue.QueueTaskDispatcher}: vetoes queue items. */
public abstract class QueueTaskDispatcher implements ExtensionPoint {

    public CauseOfBlockage canTake(Node node, Queue.BuildableItem item) {
        return null;
    }

    public CauseOfBlockage canRun(Queue.Item item) {
        return null;
    }

    public static ExtensionList<QueueTaskDispatcher> all() {
        throw new UnsupportedOperationException("stand-in");
    }
}
