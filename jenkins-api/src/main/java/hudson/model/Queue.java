package hudson.model;

import hudson.model.queue.CauseOfBlockage;

/** Stand-in for jenkins-core {@code hudson.model.Queue}: the build queue. */
public class Queue extends ResourceController implements Saveable {

    private Queue() {
    }

    public static Queue getInstance() {
        throw new UnsupportedOperationException("stand-in");
    }

    public Item[] getItems() {
        throw new UnsupportedOperationException("stand-in");
    }

    public Item getItem(long id) {
        throw new UnsupportedOperationException("stand-in");
    }

    public boolean cancel(Item item) {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public void save() {
        throw new UnsupportedOperationException("stand-in");
    }

    /** Stand-in for {@code Queue.Task}: something that can be queued and built. */
    public interface Task {

        String getDisplayName();

        String getName();

        String getFullDisplayName();

        String getUrl();

        default boolean isConcurrentBuild() {
            return false;
        }
    }

    /** Stand-in for {@code Queue.Item}: a task waiting in the queue. */
    public abstract static class Item extends Actionable {

        public final Task task;

        private Item() {
            throw new UnsupportedOperationException("stand-in");
        }

        public long getId() {
            throw new UnsupportedOperationException("stand-in");
        }

        public Task getTask() {
            return task;
        }

        public boolean isBlocked() {
            throw new UnsupportedOperationException("stand-in");
        }

        public boolean isBuildable() {
            throw new UnsupportedOperationException("stand-in");
        }

        public Label getAssignedLabel() {
            throw new UnsupportedOperationException("stand-in");
        }

        public long getInQueueSince() {
            throw new UnsupportedOperationException("stand-in");
        }

        public abstract CauseOfBlockage getCauseOfBlockage();
    }

    /** Stand-in for {@code Queue.NotWaitingItem}. */
    public abstract static class NotWaitingItem extends Item {

        private NotWaitingItem() {
        }
    }

    /** Stand-in for {@code Queue.BuildableItem}: an item whose quiet period is over and waits for an executor. */
    public static final class BuildableItem extends NotWaitingItem {

        private BuildableItem() {
        }

        @Override
        public CauseOfBlockage getCauseOfBlockage() {
            throw new UnsupportedOperationException("stand-in");
        }
    }
}
