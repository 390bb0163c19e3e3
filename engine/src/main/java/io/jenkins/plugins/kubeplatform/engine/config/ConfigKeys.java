package io.jenkins.plugins.kubeplatform.engine.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import io.jenkins.plugins.kubeplatform.engine.schema.KeyHints;
import java.util.Collection;
import java.util.List;

/** Helpers for messages about configuration keys: where a key is, and which known key was probably meant. */
final class ConfigKeys {

    private ConfigKeys() {
    }

    /** {@code "; did you mean 'reclaimAfter'?"} when a known key is close to {@code key}. */
    static String didYouMean(String key, Collection<String> known) {
        return KeyHints.didYouMean(key, known);
    }

    /** {@code pools[0].reclaimAftr} for the path of a binding error inside section {@code section}. */
    static String path(String section, List<JsonMappingException.Reference> references) {
        StringBuilder b = new StringBuilder(section);
        for (JsonMappingException.Reference r : references) {
            if (r.getFieldName() != null) {
                b.append('.').append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }
}
