package io.jenkins.plugins.kubeplatform.common;

import hudson.model.Descriptor.FormException;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import jenkins.model.GlobalConfiguration;
import net.sf.json.JSONObject;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * How a global configuration takes a submitted form: the submission is bound onto a fresh, detached candidate (so a
 * list the form no longer has is empty, not left as it was), the candidate is checked as a whole, and only then are
 * its values copied over the live configuration, which is saved once. An invalid submission changes nothing.
 */
public final class ConfigurationForms {

    /** Checks a bound candidate; throws a {@link FormException} naming the field. */
    @FunctionalInterface
    public interface Check<T> {
        void check(T candidate) throws FormException;
    }

    private ConfigurationForms() {
    }

    /**
     * Binds {@code json} onto {@code candidate}, checks it, copies every persisted field declared by {@code type}
     * into {@code live} and saves {@code live} once.
     */
    public static <T extends GlobalConfiguration> void replace(Class<T> type, T live, T candidate,
            StaplerRequest2 req, JSONObject json, Check<? super T> check) throws FormException {
        try {
            req.bindJSON(candidate, json);
        } catch (InvalidInputException e) {
            throw invalid(e);
        }
        check.check(candidate);
        copy(type, candidate, live);
        live.save();
    }

    /** The engine's input error as the form error Jenkins shows beside the field. */
    public static FormException invalid(InvalidInputException e) {
        return new FormException(e.getMessage(), e.field());
    }

    private static <T> void copy(Class<T> type, T from, T to) {
        for (Field f : type.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isStatic(m) || Modifier.isTransient(m)) {
                continue;
            }
            try {
                f.setAccessible(true);
                f.set(to, f.get(from));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot copy " + f, e);
            }
        }
    }
}
