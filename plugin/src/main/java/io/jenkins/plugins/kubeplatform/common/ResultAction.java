package io.jenkins.plugins.kubeplatform.common;

import hudson.model.Run;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * Shows what a step did on the build page (summary only: no sidebar link, no own page), or why it failed, and the same
 * in the build's {@code api/json} ({@code actions[].step}, {@code actions[].lines}, {@code actions[].failure}, and
 * {@code actions[].result}: the result document with the schema of the CLI's {@code -o json}, see docs/cli.md).
 * Jenkins saves it with the build through XStream, so it holds only plain fields and a mutable JDK list; the result
 * document is kept as its JSON text.
 */
@ExportedBean(defaultVisibility = 2)
public class ResultAction implements RunAction2 {

    private String step;
    private ArrayList<String> lines;
    private String failure;
    private String document;
    private transient Run<?, ?> run;

    public ResultAction(String step, List<String> lines) {
        this(step, lines, "");
    }

    /**
     * The action of a step that succeeded with a result.
     *
     * @param document the engine's result document ({@code ...Result.document()}), as the CLI prints it
     */
    public ResultAction(String step, List<String> lines, com.fasterxml.jackson.databind.node.ObjectNode document) {
        this(step, lines, "");
        this.document = document.toString();
    }

    private ResultAction(String step, List<String> lines, String failure) {
        this.step = step;
        this.lines = new ArrayList<>(lines);
        this.failure = failure;
    }

    /**
     * The result document ({@code apiVersion}, {@code kind}, then the result's fields), the same as the CLI's
     * {@code -o json} prints for the same result; empty for a failed step or a build recorded before it existed.
     */
    @Exported
    public java.util.Map<String, Object> getResult() {
        return io.jenkins.plugins.kubeplatform.engine.core.ResultDocument.parse(document);
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
