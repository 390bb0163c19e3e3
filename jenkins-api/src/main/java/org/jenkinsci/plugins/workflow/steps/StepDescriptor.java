package org.jenkinsci.plugins.workflow.steps;

import hudson.ExtensionList;
import hudson.model.Descriptor;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/** Stand-in for workflow-step-api {@code StepDescriptor}. */
public abstract class StepDescriptor extends Descriptor<Step> {

    public abstract Set<? extends Class<?>> getRequiredContext();

    public Set<? extends Class<?>> getProvidedContext() {
        return Collections.emptySet();
    }

    public abstract String getFunctionName();

    public boolean takesImplicitBlockArgument() {
        return false;
    }

    public boolean isAdvanced() {
        return false;
    }

    public boolean isMetaStep() {
        return false;
    }

    public Step newInstance(Map<String, Object> arguments) throws Exception {
        throw new UnsupportedOperationException("stand-in");
    }

    public String argumentsToString(Map<String, Object> namedArgs) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static ExtensionList<StepDescriptor> all() {
        throw new UnsupportedOperationException("stand-in");
    }

    public static StepDescriptor byFunctionName(String name) {
        throw new UnsupportedOperationException("stand-in");
    }
}
