package hudson.triggers;

import java.io.File;
import java.util.TimerTask;

/** Stand-in for jenkins-core {@code hudson.triggers.SafeTimerTask}. */
public abstract class SafeTimerTask extends TimerTask {

    @Override
    public final void run() {
        throw new UnsupportedOperationException("stand-in");
    }

    protected abstract void doRun() throws Exception;

    public static File getLogsRoot() {
        throw new UnsupportedOperationException("stand-in");
    }
}
