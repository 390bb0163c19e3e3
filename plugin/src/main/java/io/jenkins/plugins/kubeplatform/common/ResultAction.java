package io.jenkins.plugins.kubeplatform.common;

import hudson.model.Action;
import java.util.List;

/** Shows what a step did on the build page (summary only: no sidebar link, no own page). */
public class ResultAction implements Action {

    private final String step;
    private final List<String> lines;

    public ResultAction(String step, List<String> lines) {
        this.step = step;
        this.lines = List.copyOf(lines);
    }

    public String getStep() {
        return step;
    }

    public List<String> getLines() {
        return lines;
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
