package io.jenkins.plugins.kubeplatform.sim;

/** Annotations and image-name conventions that steer the simulation. */
public final class SimAnnotations {

    private SimAnnotations() {
    }

    /**
     * On a pod (or a Job, copied to its pods): the containers exit after running this long (simulated time, ISO-8601
     * like {@code PT5S} or Go-style like {@code 5s}, {@code 2m}); applies to pods with restartPolicy Never or
     * OnFailure. Job pods get {@link SimOptions#jobDuration()} when neither says otherwise.
     */
    public static final String RUN_FOR = "sim.kubeplatform.jenkins.io/run-for";

    /** On a pod: the exit code when {@link #RUN_FOR} elapses (default 0 → Succeeded; non-zero → Failed). */
    public static final String EXIT_CODE = "sim.kubeplatform.jenkins.io/exit-code";

    /** A container image whose reference contains this text fails to pull (ErrImagePull, then ImagePullBackOff). */
    public static final String FAIL_PULL_IMAGE_MARKER = "fail-pull";
}
