package hudson.model.queue;

import hudson.model.TaskListener;
import org.jvnet.localizer.Localizable;

/** Stand-in for jenkins-core {@code hudson.model.queue.CauseOfBlockage}: why a queue item cannot run yet. */
public abstract class CauseOfBlockage {

    public abstract String getShortDescription();

    public void print(TaskListener listener) {
        listener.getLogger().println(getShortDescription());
    }

    public static CauseOfBlockage fromMessage(Localizable l) {
        return new CauseOfBlockage() {
            @Override
            public String getShortDescription() {
                return l.toString();
            }
        };
    }

    @Override
    public String toString() {
        return getShortDescription();
    }
}
