package hudson.util;

import java.io.Serializable;

/** Stand-in for jenkins-core {@code hudson.util.Secret}: a secret kept encrypted at rest. */
public final class Secret implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public String getPlainText() {
        return value;
    }

    public String getEncryptedValue() {
        throw new UnsupportedOperationException("stand-in");
    }

    public static Secret fromString(String data) {
        return new Secret(data == null ? "" : data);
    }

    public static String toString(Secret s) {
        return s == null ? "" : s.getPlainText();
    }

    public static Secret decrypt(String data) {
        throw new UnsupportedOperationException("stand-in");
    }
}
