package jenkins.model;

import hudson.ExtensionList;
import hudson.ExtensionPoint;
import hudson.model.ModelObject;

/** Stand-in for jenkins-core {@code jenkins.model.GlobalConfigurationCategory}. */
public abstract class GlobalConfigurationCategory implements ExtensionPoint, ModelObject {

    public abstract String getShortDescription();

    public static ExtensionList<GlobalConfigurationCategory> all() {
        throw new UnsupportedOperationException("stand-in");
    }

    public static <T extends GlobalConfigurationCategory> T get(Class<T> type) {
        throw new UnsupportedOperationException("stand-in");
    }

    /** Stand-in for {@code GlobalConfigurationCategory.Unclassified}: Manage Jenkins › System. */
    public static class Unclassified extends GlobalConfigurationCategory {

        @Override
        public String getShortDescription() {
            throw new UnsupportedOperationException("stand-in");
        }

        @Override
        public String getDisplayName() {
            throw new UnsupportedOperationException("stand-in");
        }
    }
}
