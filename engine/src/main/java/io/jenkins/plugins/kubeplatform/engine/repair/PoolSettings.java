package io.jenkins.plugins.kubeplatform.engine.repair;

/** A repair pool: the nodes its selector picks share {@code maxConcurrent} repair slots. */
public record PoolSettings(String name, LabelQuery nodeSelector, int maxConcurrent) {

    /** The pool of nodes no configured pool selects. */
    public static PoolSettings fallback(int maxConcurrent) {
        return new PoolSettings("default", LabelQuery.ALL, maxConcurrent);
    }
}
