package io.jenkins.plugins.kubeplatform.common;

import hudson.model.Run;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * Shows what a step did on the build page (summary only: no sidebar link, no own page), or why it failed, and the same
 * in the build's {@code api/json} ({@code actions[].step}, {@code actions[].lines}, {@code actions[].failure}).
 * Jenkins saves it with the build through XStream, so it holds only plain fields and a mutable JDK list.
 */
@ExportedBean(defaultVisibility = 2)
public class ResultAction implements RunAction2 {

    private String step;
    private ArrayList<String> lines;
    private String failure;
    private transient Run<?, ?> run;

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

    @Exported
    public String getStep() {
        return step;
    }

    @Exported
    public List<String> getLines() {
        return lines == null ? new ArrayList<>() : lines;
    }

    /** The build this result belongs to, once attached or loaded. */
    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    /** Empty when the step succeeded. */
    @Exported
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
