package jenkins;

/** Stand-in for jenkins-core {@code jenkins.YesNoMaybe}. */
public enum YesNoMaybe {
    YES,
    NO,
    MAYBE;

    public static Boolean toBoolean(YesNoMaybe v) {
        return v == null ? null : v.toBool();
    }

    public Boolean toBool() {
        return this == YES ? Boolean.TRUE : this == NO ? Boolean.FALSE : null;
    }
}
