package io.jenkins.plugins.kubeplatform.common;

import hudson.model.Action;
import java.util.ArrayList;
import java.util.List;

/**
 * Shows what a step did on the build page (summary only: no sidebar link, no own page), or why it failed.
 * Jenkins saves it with the build through XStream, so it holds only plain fields and a mutable JDK list.
 */
public class ResultAction implements Action {

    private final String step;
    private final ArrayList<String> lines;
    private final String failure;

    public ResultAction(String step, List<String> lines) {
        this(step, lines, "");
    }

    private ResultAction(String step, List<String> lines, String failure) {
        this.step = step;
        this.lines = new ArrayList<>(lines);
        this.failure = failure;
    }

    /** The action of a step that failed: {@code failure} is the message the build log shows. */
    public static ResultAction failed(String step, String failure) {
        return new ResultAction(step, new ArrayList<>(), failure == null ? "" : failure);
    }

    public String getStep() {
        return step;
    }

    public List<String> getLines() {
        return lines;
    }

    /** Empty when the step succeeded. */
    public String getFailure() {
        return failure == null ? "" : failure;
    }

    public boolean isFailed() {
        return !getFailure().isEmpty();
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return step;
    }

    @Override
    public String getUrlName() {
        return null;
    }
}
