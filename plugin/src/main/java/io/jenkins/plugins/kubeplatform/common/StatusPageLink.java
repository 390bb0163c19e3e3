package io.jenkins.plugins.kubeplatform.common;

import hudson.model.Api;
import hudson.model.ManagementLink;
import hudson.security.Permission;

/**
 * One of the plugin's pages under Manage Jenkins › Status: its icon, URL, the permission needed to see it and its
 * {@code api/json}; each page adds its name, description, rows and actions.
 */
public abstract class StatusPageLink extends ManagementLink {

    private final String icon;
    private final String urlName;
    private final Permission permission;

    protected StatusPageLink(String icon, String urlName, Permission permission) {
        this.icon = icon;
        this.urlName = urlName;
        this.permission = permission;
    }

    @Override
    public final String getIconFileName() {
        return icon;
    }

    @Override
    public final String getUrlName() {
        return urlName;
    }

    @Override
    public final Permission getRequiredPermission() {
        return permission;
    }

    @Override
    public final Category getCategory() {
        return Category.STATUS;
    }

    public final Api getApi() {
        return new Api(this);
    }
}
