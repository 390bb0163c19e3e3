package hudson.util;

import hudson.model.ModelObject;
import java.util.ArrayList;
import java.util.Collection;

/**
 * Stand-in for jenkins-core {@code hudson.util.ListBoxModel}: the items of a drop-down ({@code doFill*Items}).
 * The real class also implements stapler's HttpResponse (its servlet-bound method is not modelled).
 */
public class ListBoxModel extends ArrayList<ListBoxModel.Option> {

    private static final long serialVersionUID = 1L;

    public ListBoxModel(int initialCapacity) {
        super(initialCapacity);
    }

    public ListBoxModel() {
    }

    public ListBoxModel(Collection<Option> c) {
        super(c);
    }

    public ListBoxModel(Option... data) {
        for (Option o : data) {
            add(o);
        }
    }

    public void add(String displayName, String value) {
        add(new Option(displayName, value));
    }

    public void add(ModelObject usedForDisplayName, String value) {
        add(usedForDisplayName.getDisplayName(), value);
    }

    public ListBoxModel add(String nameAndValue) {
        add(nameAndValue, nameAndValue);
        return this;
    }

    /** Exposed for stapler in Jenkins (deprecated there: not meant for programmatic use). */
    @Deprecated
    public Option[] values() {
        return toArray(new Option[size()]);
    }

    /** Stand-in for {@code ListBoxModel.Option}: one entry of a drop-down. */
    public static final class Option {

        public String name;
        public String value;
        public boolean selected;

        public Option(String name, String value) {
            this(name, value, false);
        }

        public Option(String name) {
            this(name, name, false);
        }

        public Option(String name, String value, boolean selected) {
            this.name = name;
            this.value = value;
            this.selected = selected;
        }

        @Override
        public String toString() {
            return name + "=" + value + (selected ? "[selected]" : "");
        }
    }
}
