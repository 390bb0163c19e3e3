package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a deploy rolls its identities (SIP-4). New identities are all created at once, at most
 * {@code writeConcurrency} API writes in flight, and awaited together. Existing identities whose workload changes
 * are replaced under a budget: at most {@link #budget(int)} of them unavailable at a time, like a Deployment's
 * {@code maxUnavailable}. There is no surge: an identity's address cannot be held by two pods at once.
 *
 * @param maxUnavailable  an absolute number ({@code "2"}) or a percentage of the replicas ({@code "25%"}, rounded
 *                        down as a Deployment does); the budget is never below 1, or nothing could roll
 * @param writeConcurrency how many API writes of one deploy run at the same time
 * @param prePull          whether a redeploy that changes images first pulls them on the nodes of the identities to
 *                         be replaced ({@link PrePull}); on by default
 * @param inPlace          whether an identity whose change is only in container images, and whose pod runs Ready
 *                         with its address, is updated in place (its pod keeps node and address; the kubelet restarts
 *                         the changed containers) instead of being replaced; on by default
 */
public record RolloutPolicy(String maxUnavailable, int writeConcurrency, boolean prePull, boolean inPlace) {

    private static final Pattern SPEC = Pattern.compile("(\\d{1,5})(%?)");

    /** A Deployment's default: 25%. */
    public static final String DEFAULT_MAX_UNAVAILABLE = "25%";

    /** API writes in flight per deploy by default. */
    public static final int DEFAULT_WRITE_CONCURRENCY = 16;

    public RolloutPolicy {
        maxUnavailable = maxUnavailable == null || maxUnavailable.isBlank() ? DEFAULT_MAX_UNAVAILABLE
                : maxUnavailable.trim();
        Matcher m = SPEC.matcher(maxUnavailable);
        if (!m.matches()) {
            throw new InvalidInputException("maxUnavailable", "must be a number of identities (e.g. 2) or a "
                    + "percentage of the replicas (e.g. 25%); got '" + io.jenkins.plugins.kubeplatform.engine.core.Require
                    .printable(maxUnavailable) + "'");
        }
        if (!m.group(2).isEmpty() && Integer.parseInt(m.group(1)) > 100) {
            throw new InvalidInputException("maxUnavailable", "a percentage must be at most 100%; got " + maxUnavailable);
        }
        if (writeConcurrency < 1 || writeConcurrency > 256) {
            throw new InvalidInputException("writeConcurrency", "must be between 1 and 256; got " + writeConcurrency);
        }
    }

    /** With pre-pull and in-place updates on (the defaults). */
    public RolloutPolicy(String maxUnavailable, int writeConcurrency) {
        this(maxUnavailable, writeConcurrency, true, true);
    }

    /** With in-place updates on (the default). */
    public RolloutPolicy(String maxUnavailable, int writeConcurrency, boolean prePull) {
        this(maxUnavailable, writeConcurrency, prePull, true);
    }

    public static RolloutPolicy defaults() {
        return new RolloutPolicy(DEFAULT_MAX_UNAVAILABLE, DEFAULT_WRITE_CONCURRENCY);
    }

    /** The same policy with pre-pull on or off. */
    public RolloutPolicy withPrePull(boolean on) {
        return new RolloutPolicy(maxUnavailable, writeConcurrency, on, inPlace);
    }

    /** The same policy with in-place updates on or off. */
    public RolloutPolicy withInPlace(boolean on) {
        return new RolloutPolicy(maxUnavailable, writeConcurrency, prePull, on);
    }

    /** The same policy with another {@code maxUnavailable}; null or blank means the default 25%. */
    public static RolloutPolicy maxUnavailable(String value) {
        return new RolloutPolicy(value, DEFAULT_WRITE_CONCURRENCY);
    }

    /**
     * How many identities may be unavailable at once while {@code replicas} identities roll: the absolute number,
     * or the percentage of the replicas rounded down; at least 1 (no surge, so 0 would never progress).
     */
    public int budget(int replicas) {
        Matcher m = SPEC.matcher(maxUnavailable);
        if (!m.matches()) {
            throw new IllegalStateException(maxUnavailable);
        }
        int value = Integer.parseInt(m.group(1));
        int budget = m.group(2).isEmpty() ? value : (int) ((long) value * replicas / 100);
        return Math.max(1, budget);
    }
}
