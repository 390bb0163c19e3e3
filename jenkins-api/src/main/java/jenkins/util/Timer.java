package jenkins.util;

import java.util.concurrent.ScheduledExecutorService;

/** Stand-in for jenkins-core {@code jenkins.util.Timer}: the shared scheduler for background tasks. */
public class Timer {

    private Timer() {
    }

    public static synchronized ScheduledExecutorService get() {
        throw new UnsupportedOperationException("stand-in");
    }

    public static synchronized void shutdown() {
        throw new UnsupportedOperationException("stand-in");
    }
}
