package io.jenkins.plugins.kubeplatform.common;

import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * One name/value pair of a map-valued setting (an {@code env} variable, an image label) as the configuration form and
 * the Snippet Generator edit it: a repeatable entry. Pipeline may give the same setting as a plain map
 * ({@code env: [A: '1']}); both shapes land in the same map.
 */
public class EnvVarEntry extends AbstractDescribableImpl<EnvVarEntry> {

    private final String name;
    private final String value;

    @DataBoundConstructor
    public EnvVarEntry(String name, String value) {
        this.name = name == null ? "" : name.trim();
        this.value = value == null ? "" : value;
    }

    public String getName() {
        return name;
    }

    public String getValue() {
        return value;
    }

    /** The entries of {@code map}, in its order (for the form). */
    public static List<EnvVarEntry> fromMap(Map<String, String> map) {
        List<EnvVarEntry> entries = new ArrayList<>();
        if (map != null) {
            map.forEach((k, v) -> entries.add(new EnvVarEntry(k, v)));
        }
        return entries;
    }

    /**
     * Adds {@code entries} to {@code into}, refusing a blank or repeated name.
     *
     * @param field the setting named in the error
     */
    public static void addTo(Map<String, String> into, List<EnvVarEntry> entries, String field) {
        if (entries == null) {
            return;
        }
        for (EnvVarEntry e : entries) {
            if (e == null) {
                continue;
            }
            if (e.getName().isEmpty()) {
                throw new InvalidInputException(field, "every entry needs a name");
            }
            if (into.containsKey(e.getName())) {
                throw new InvalidInputException(field, "names '" + e.getName() + "' twice");
            }
            into.put(e.getName(), e.getValue());
        }
    }

    /** The entry's form; {@code envVar(name: 'A', value: '1')} in a generated snippet. */
    @Extension
    @Symbol("envVar")
    public static class DescriptorImpl extends Descriptor<EnvVarEntry> {
        @Override
        public String getDisplayName() {
            return "Name and value";
        }
    }
}
