package io.jenkins.plugins.kubeplatform.engine.core;

/**
 * "Do this, then always that" without {@code finally}'s trap: an exception thrown in a {@code finally} block replaces
 * the one the {@code try} block threw, so a bookkeeping write after a failed operation (recording where the pods of
 * an aborted rollout ran) would hide why the operation failed. Here the operation's failure always propagates, with
 * the follow-up's failure added to it as suppressed; after a success, the follow-up's failure propagates.
 */
public final class Afterwards {

    private Afterwards() {
    }

    /** Runs {@code operation}, then {@code followUp} whether or not the operation failed. */
    public static void run(Runnable operation, Runnable followUp) {
        try {
            operation.run();
        } catch (RuntimeException | Error failure) {
            try {
                followUp.run();
            } catch (RuntimeException | Error later) {
                failure.addSuppressed(later);
            }
            throw failure;
        }
        followUp.run();
    }
}
