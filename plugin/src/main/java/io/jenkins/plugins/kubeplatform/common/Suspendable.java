package io.jenkins.plugins.kubeplatform.common;

/**
 * A running step of this plugin that Jenkins' shutdown pauses rather than fails: it drops its threads, watches and
 * connections and leaves its serialized state as it is, so that {@code onResume()} continues after the restart.
 */
public interface Suspendable {

    void suspend();
}
