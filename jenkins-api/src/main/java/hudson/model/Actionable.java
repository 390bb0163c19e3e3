package hudson.model;

import java.util.List;

/** Stand-in for jenkins-core {@code hudson.model.Actionable}. */
public abstract class Actionable extends AbstractModelObject {

    public List<Action> getActions() {
        throw new UnsupportedOperationException("stand-in");
    }

    public final List<? extends Action> getAllActions() {
        throw new UnsupportedOperationException("stand-in");
    }

    public <T extends Action> List<T> getActions(Class<T> type) {
        throw new UnsupportedOperationException("stand-in");
    }

    public void addAction(Action a) {
        throw new UnsupportedOperationException("stand-in");
    }

    public void replaceAction(Action a) {
        throw new UnsupportedOperationException("stand-in");
    }

    public boolean addOrReplaceAction(Action a) {
        throw new UnsupportedOperationException("stand-in");
    }

    public boolean removeAction(Action a) {
        throw new UnsupportedOperationException("stand-in");
    }

    public <T extends Action> T getAction(Class<T> type) {
        throw new UnsupportedOperationException("stand-in");
    }
}
