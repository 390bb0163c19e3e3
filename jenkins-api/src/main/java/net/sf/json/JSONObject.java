package net.sf.json;

/**
 * Stand-in for json-lib's {@code net.sf.json.JSONObject} (Jenkins' fork is not on Maven Central): the structured form
 * submission that {@code Descriptor.configure} receives. The plugin only hands it to Stapler's binder.
 */
public final class JSONObject {

    public JSONObject() {
    }
}
