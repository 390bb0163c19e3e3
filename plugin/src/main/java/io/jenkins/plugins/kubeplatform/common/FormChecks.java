package io.jenkins.plugins.kubeplatform.common;

import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * The field checks and drop-downs the configuration forms share. Callers check the permission first (every
 * {@code doCheck}/{@code doFill} method is {@code @POST} and needs Administer). The checks that read the configured
 * clusters are in {@link io.jenkins.plugins.kubeplatform.kube.ClusterForms}.
 */
public final class FormChecks {

    private FormChecks() {
    }

    /** A duration such as 30s, 5m, 2h, 1d or PT5M; blank is fine when {@code optional}. */
    public static FormValidation duration(String field, String value, boolean optional) {
        if (optional && (value == null || value.isBlank())) {
            return FormValidation.ok();
        }
        return check(() -> Require.duration(field, value));
    }

    /** A DNS-1123 label such as a namespace name. */
    public static FormValidation dnsLabel(String field, String value) {
        return check(() -> Require.dnsLabel(field, value));
    }

    /**
     * An "Allowed folders and jobs" list: an error for an unusable entry, a warning while it is empty and more than one
     * top-level folder (team) exists, since then every team's jobs may use the item.
     */
    public static FormValidation allowedJobs(String value, String kind) {
        java.util.Optional<String> problem = FolderAccess.problem(value);
        if (problem.isPresent()) {
            return FormValidation.error(problem.get());
        }
        long folders = Jenkins.get().getItems().stream().filter(i -> i instanceof hudson.model.ItemGroup).count();
        return FolderAccess.openToEveryone(value, folders, kind).map(FormValidation::warning)
                .orElse(FormValidation.ok());
    }

    /** The secret text credentials, for join tokens. */
    public static ListBoxModel secretTextItems(String current) {
        return new StandardListBoxModel().includeEmptyValue()
                .includeAs(ACL.SYSTEM2, Jenkins.get(), StringCredentials.class).includeCurrentValue(current);
    }

    private static FormValidation check(Runnable rule) {
        try {
            rule.run();
            return FormValidation.ok();
        } catch (InvalidInputException e) {
            return FormValidation.error(e.getMessage());
        }
    }
}
