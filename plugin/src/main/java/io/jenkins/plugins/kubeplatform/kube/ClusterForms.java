package io.jenkins.plugins.kubeplatform.kube;

import hudson.util.FormValidation;
import hudson.util.ListBoxModel;

/**
 * The form check and drop-down of a cluster connection field, read from the configured clusters. Callers check the
 * permission first (every {@code doCheck}/{@code doFill} method is {@code @POST} and needs Administer).
 */
public final class ClusterForms {

    private ClusterForms() {
    }

    /** A configured cluster connection name; blank means the default cluster. */
    public static FormValidation clusterReference(String value) {
        if (value == null || value.isBlank() || KubePlatformConfiguration.get().getClusters().stream()
                .anyMatch(c -> c.getName().equals(value.trim()))) {
            return FormValidation.ok();
        }
        return FormValidation.error("No cluster connection named '" + value.trim()
                + "' (Manage Jenkins > System > Kubernetes Platform Steps)");
    }

    /** "(default cluster)" and every configured cluster connection. */
    public static ListBoxModel clusterItems() {
        ListBoxModel items = new ListBoxModel();
        items.add(new ListBoxModel.Option("(default cluster)", ""));
        for (ClusterConnectionConfig c : KubePlatformConfiguration.get().getClusters()) {
            items.add(new ListBoxModel.Option(c.getName(), c.getName()));
        }
        return items;
    }
}
