package io.jenkins.plugins.kubeplatform.common;

import hudson.model.Run;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * Shows what a step did on the build page (summary only: no sidebar link, no own page) and in the build's
 * {@code api/json} ({@code actions[].step}, {@code actions[].lines}). Persisted with the build by XStream: plain
 * fields and a mutable list.
 */
@ExportedBean(defaultVisibility = 2)
public class ResultAction implements RunAction2 {

    private String step;
    private ArrayList<String> lines;
    private transient Run<?, ?> run;

    public ResultAction(String step, List<String> lines) {
        this.step = step;
        this.lines = new ArrayList<>(lines);
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
