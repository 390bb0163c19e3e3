package io.jenkins.plugins.kubeplatform.engine.expose;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import java.util.Locale;

/** What to do when the generated host belongs to another app. */
public enum ConflictPolicy {
    /** Fail and name the current owner. */
    FAIL("fail"),
    /** Take the next free variant: {@code app-2}, {@code app-3}, ... */
    NEXT_FREE("next-free");

    private final String id;

    ConflictPolicy(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static ConflictPolicy parse(String field, String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (ConflictPolicy p : values()) {
            if (p.id.equals(v)) {
                return p;
            }
        }
        throw new InvalidInputException(field, "must be fail or next-free; got '" + Require.printable(String.valueOf(value)) + "'");
    }
}
