package hudson.model;

import hudson.ExtensionList;
import hudson.ExtensionPoint;
import hudson.triggers.SafeTimerTask;

/** Stand-in for jenkins-core {@code hudson.model.PeriodicWork}. */
public abstract class PeriodicWork extends SafeTimerTask implements ExtensionPoint {

    protected static final long MIN = 1000 * 60;
    protected static final long HOUR = 60 * MIN;
    protected static final long DAY = 24 * HOUR;

    public abstract long getRecurrencePeriod();

    public long getInitialDelay() {
        throw new UnsupportedOperationException("stand-in");
    }

    public static ExtensionList<PeriodicWork> all() {
        throw new UnsupportedOperationException("stand-in");
    }
}
