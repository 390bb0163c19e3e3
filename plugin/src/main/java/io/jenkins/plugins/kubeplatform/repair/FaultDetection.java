package io.jenkins.plugins.kubeplatform.repair;

import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * What makes a node faulty in {@code repairNode}'s scheduled mode. Pipeline keeps writing it as a map,
 * {@code detect: [notReadyFor: '5m', conditions: ['KernelDeadlock']]}, which Pipeline binds to this class; the
 * Snippet Generator renders it as a nested form. A list entry may hold several names separated by commas, which is
 * what a form's text box submits.
 */
public class FaultDetection extends AbstractDescribableImpl<FaultDetection> {

    private String notReadyFor = "";
    private List<String> conditions = new ArrayList<>();
    private List<String> taints = new ArrayList<>();

    @DataBoundConstructor
    public FaultDetection() {
    }

    public String getNotReadyFor() {
        return notReadyFor;
    }

    /** Ready not True for at least this long; empty means 5m. */
    @DataBoundSetter
    public void setNotReadyFor(String notReadyFor) {
        this.notReadyFor = notReadyFor == null ? "" : notReadyFor.trim();
    }

    public List<String> getConditions() {
        return conditions;
    }

    /** Node condition types that mean faulty when True; empty means the configured fault conditions. */
    @DataBoundSetter
    public void setConditions(List<String> conditions) {
        this.conditions = names(conditions);
    }

    public List<String> getTaints() {
        return taints;
    }

    /** Taint keys that mean faulty. */
    @DataBoundSetter
    public void setTaints(List<String> taints) {
        this.taints = names(taints);
    }

    /** The conditions as the form shows them. */
    public String getConditionsText() {
        return String.join(", ", conditions);
    }

    /** The taints as the form shows them. */
    public String getTaintsText() {
        return String.join(", ", taints);
    }

    static List<String> names(List<String> values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                for (String part : String.valueOf(v).split("[,\\s]+")) {
                    if (!part.isEmpty()) {
                        out.add(part);
                    }
                }
            }
        }
        return out;
    }

    /** Form validation for the nested detection form. */
    @Extension
    public static final class DescriptorImpl extends Descriptor<FaultDetection> {

        @Override
        public String getDisplayName() {
            return Messages.FaultDetection_DisplayName();
        }

        @POST
        public FormValidation doCheckNotReadyFor(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.READ);
            if (value == null || value.isBlank()) {
                return FormValidation.ok();
            }
            try {
                Require.duration("detect.notReadyFor", value);
                return FormValidation.ok();
            } catch (InvalidInputException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
