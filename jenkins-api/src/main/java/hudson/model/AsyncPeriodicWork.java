package hudson.model;

import java.io.File;
import java.io.IOException;
import java.util.logging.Level;

/** Stand-in for jenkins-core {@code hudson.model.AsyncPeriodicWork}: periodic work run on its own thread. */
public abstract class AsyncPeriodicWork extends PeriodicWork {

    public final String name;

    protected AsyncPeriodicWork(String name) {
        this.name = name;
    }

    @Override
    public final void doRun() {
        throw new UnsupportedOperationException("stand-in");
    }

    protected File getLogFile() {
        throw new UnsupportedOperationException("stand-in");
    }

    protected Level getNormalLoggingLevel() {
        return Level.INFO;
    }

    protected Level getSlowLoggingLevel() {
        return getNormalLoggingLevel();
    }

    protected Level getErrorLoggingLevel() {
        return Level.SEVERE;
    }

    protected abstract void execute(TaskListener listener) throws IOException, InterruptedException;
}
