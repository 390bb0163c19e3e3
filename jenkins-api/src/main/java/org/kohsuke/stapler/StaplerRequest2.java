package org.kohsuke.stapler;

import java.util.List;
import net.sf.json.JSONObject;

/**
 * Stand-in for Stapler's {@code StaplerRequest2} (the jakarta servlet request of Jenkins 2.475 and later, not in the
 * stapler release on Maven Central): the form data-binding methods only.
 */
public interface StaplerRequest2 {

    <T> T bindJSON(Class<T> type, JSONObject src);

    void bindJSON(Object bean, JSONObject src);

    <T> List<T> bindJSONToList(Class<T> type, Object src);
}
