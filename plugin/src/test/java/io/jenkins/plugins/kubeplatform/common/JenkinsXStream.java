package io.jenkins.plugins.kubeplatform.common;

import com.thoughtworks.xstream.XStream;
import com.thoughtworks.xstream.security.AnyTypePermission;

/**
 * XStream set up where it matters the way Jenkins' {@code XStream2} is: the JVM's default reflection provider (fields
 * written through {@code Unsafe}, constructors never called on read), no allow-list of types (Jenkins filters with its
 * own deny-list instead), and no converters for JDK immutable collections or records — the two things a persisted
 * plugin type must not contain.
 */
public final class JenkinsXStream {

    private JenkinsXStream() {
    }

    public static XStream create() {
        XStream xstream = new XStream();
        xstream.addPermission(AnyTypePermission.ANY);
        return xstream;
    }

    public static String write(Object o) {
        return create().toXML(o);
    }

    /** What Jenkins does after a restart: a fresh XStream reads the saved XML back. */
    @SuppressWarnings("unchecked")
    public static <T> T roundTrip(T o) {
        return (T) create().fromXML(write(o));
    }
}
