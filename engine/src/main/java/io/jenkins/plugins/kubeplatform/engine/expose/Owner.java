package io.jenkins.plugins.kubeplatform.engine.expose;

/** The one owner a host may have: an app (its name as given, any script) in a namespace. */
public record Owner(String namespace, String app) {

    @Override
    public String toString() {
        return "app '" + app + "' in namespace '" + namespace + "'";
    }
}
