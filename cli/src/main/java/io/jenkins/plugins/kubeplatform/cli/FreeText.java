package io.jenkins.plugins.kubeplatform.cli;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;

/** Free text that ends up in state files and tables (owners, reasons): one line of printable characters. */
public final class FreeText {

    static final int MAX_LENGTH = 256;

    private FreeText() {
    }

    public static String check(String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidInputException(field, "is " + value.length() + " characters long; at most " + MAX_LENGTH
                    + " are allowed");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw new InvalidInputException(field, "must be one line of printable characters; it has a control "
                        + "character at position " + (i + 1) + ": '" + Require.printable(value) + "'");
            }
        }
        return value;
    }
}
