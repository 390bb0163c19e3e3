package hudson.model;

import hudson.security.Permission;
import jenkins.model.GlobalConfigurationCategory;
import jenkins.model.Loadable;
import jenkins.util.io.OnMaster;
import net.sf.json.JSONObject;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * Stand-in for jenkins-core {@code hudson.model.Descriptor}. Of the form-binding methods only
 * {@code configure(StaplerRequest2, JSONObject)} is modelled, for global configurations that bind a submission
 * as a whole.
 */
public abstract class Descriptor<T extends Describable<T>> implements Loadable, Saveable, OnMaster {

    public final transient Class<? extends T> clazz;

    protected Descriptor(Class<? extends T> clazz) {
        this.clazz = clazz;
    }

    @SuppressWarnings("unchecked")
    protected Descriptor() {
        this.clazz = (Class<T>) getClass().getEnclosingClass();
    }

    public String getDisplayName() {
        return clazz.getSimpleName();
    }

    public String getId() {
        return clazz.getName();
    }

    public Class<T> getT() {
        throw new UnsupportedOperationException("stand-in");
    }

    public String getDescriptorUrl() {
        return "descriptorByName/" + getId();
    }

    public final String getDescriptorFullUrl() {
        throw new UnsupportedOperationException("stand-in");
    }

    public String getHelpFile() {
        return getHelpFile(null);
    }

    public String getHelpFile(String fieldName) {
        throw new UnsupportedOperationException("stand-in");
    }

    public final boolean isInstance(T instance) {
        return clazz.isInstance(instance);
    }

    @SuppressWarnings("rawtypes")
    public final boolean isSubTypeOf(Class type) {
        return type.isAssignableFrom(clazz);
    }

    public String getConfigPage() {
        throw new UnsupportedOperationException("stand-in");
    }

    public String getGlobalConfigPage() {
        throw new UnsupportedOperationException("stand-in");
    }

    public GlobalConfigurationCategory getCategory() {
        throw new UnsupportedOperationException("stand-in");
    }

    public Permission getRequiredGlobalConfigPagePermission() {
        throw new UnsupportedOperationException("stand-in");
    }

    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public synchronized void save() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public synchronized void load() {
        throw new UnsupportedOperationException("stand-in");
    }

    /** Deprecated in Jenkins; declared here because a subclass may not declare an instance {@code find(String)}. */
    @Deprecated
    @SuppressWarnings("rawtypes")
    public static <T extends Descriptor> T find(java.util.Collection<? extends T> list, String string) {
        throw new UnsupportedOperationException("stand-in");
    }

    /** Deprecated in Jenkins; see {@link #find(java.util.Collection, String)}. */
    @Deprecated
    @SuppressWarnings("rawtypes")
    public static Descriptor find(String className) {
        throw new UnsupportedOperationException("stand-in");
    }

    /** Stand-in for {@code Descriptor.FormException}; the real one also implements stapler's HttpResponse. */
    public static final class FormException extends Exception {

        private static final long serialVersionUID = 1L;

        private final String formField;

        public FormException(String message, String formField) {
            super(message);
            this.formField = formField;
        }

        public FormException(String message, Throwable cause, String formField) {
            super(message, cause);
            this.formField = formField;
        }

        public FormException(Throwable cause, String formField) {
            super(cause);
            this.formField = formField;
        }

        public String getFormField() {
            return formField;
        }
    }
}
