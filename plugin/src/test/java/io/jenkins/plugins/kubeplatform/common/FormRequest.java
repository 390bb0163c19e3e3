package io.jenkins.plugins.kubeplatform.common;

import java.util.List;
import java.util.function.Consumer;
import net.sf.json.JSONObject;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * A submitted form as Stapler binds it onto a bean: the setters of the fields present in the submission are called,
 * and nothing else (a repeatable list the user emptied is absent from the submission).
 */
public final class FormRequest implements StaplerRequest2 {

    private final Consumer<Object> setters;

    private FormRequest(Consumer<Object> setters) {
        this.setters = setters;
    }

    /** A submission whose present fields {@code setters} sets on the bound bean of type {@code type}. */
    public static <T> FormRequest of(Class<T> type, Consumer<T> setters) {
        return new FormRequest(bean -> setters.accept(type.cast(bean)));
    }

    @Override
    public void bindJSON(Object bean, JSONObject src) {
        setters.accept(bean);
    }

    @Override
    public <T> T bindJSON(Class<T> type, JSONObject src) {
        throw new UnsupportedOperationException("not used by global configurations");
    }

    @Override
    public <T> List<T> bindJSONToList(Class<T> type, Object src) {
        throw new UnsupportedOperationException("not used by global configurations");
    }
}
