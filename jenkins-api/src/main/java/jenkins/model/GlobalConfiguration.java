package jenkins.model;

import hudson.ExtensionList;
import hudson.ExtensionPoint;
import hudson.model.Describable;
import hudson.model.Descriptor;

/** Stand-in for jenkins-core {@code jenkins.model.GlobalConfiguration}: a section of Manage Jenkins › System. */
public abstract class GlobalConfiguration extends Descriptor<GlobalConfiguration>
        implements ExtensionPoint, Describable<GlobalConfiguration> {

    protected GlobalConfiguration() {
        super((Class<GlobalConfiguration>) null);
    }

    @Override
    public final Descriptor<GlobalConfiguration> getDescriptor() {
        return this;
    }

    @Override
    public String getGlobalConfigPage() {
        throw new UnsupportedOperationException("stand-in");
    }

    public static ExtensionList<GlobalConfiguration> all() {
        throw new UnsupportedOperationException("stand-in");
    }
}
