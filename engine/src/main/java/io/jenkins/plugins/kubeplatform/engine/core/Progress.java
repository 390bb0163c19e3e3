package io.jenkins.plugins.kubeplatform.engine.core;

import java.io.PrintStream;
import java.util.function.Consumer;

/** Where a capability reports its plan, state changes and long waits (build log, terminal, or nowhere). */
public interface Progress {

    /** A short description of what is about to happen, printed once before acting. */
    void plan(String text);

    /** One line per state change. */
    void step(String text);

    /** Progress of a long wait. */
    void waiting(String text);

    /** Something the user should look at that does not stop the operation. */
    void warn(String text);

    /** Discards everything; for tests and benchmarks. */
    static Progress silent() {
        return new Progress() {
            @Override public void plan(String text) { }
            @Override public void step(String text) { }
            @Override public void waiting(String text) { }
            @Override public void warn(String text) { }
        };
    }

    /** Writes one prefixed line per event to the stream (a build log or a terminal). */
    static Progress to(PrintStream out) {
        return lines(out::println);
    }

    /** Hands one prefixed line per event to {@code sink}. */
    static Progress lines(Consumer<String> sink) {
        return new Progress() {
            @Override public void plan(String text) { sink.accept("[plan] " + text); }
            @Override public void step(String text) { sink.accept("[step] " + text); }
            @Override public void waiting(String text) { sink.accept("[wait] " + text); }
            @Override public void warn(String text) { sink.accept("[warn] " + text); }
        };
    }
}
