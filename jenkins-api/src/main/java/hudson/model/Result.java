package hudson.model;

import java.io.Serializable;
import org.kohsuke.stapler.export.CustomExportedBean;

/** Stand-in for jenkins-core {@code hudson.model.Result}. */
public final class Result implements Serializable, CustomExportedBean {

    private static final long serialVersionUID = 1L;

    public static final Result SUCCESS = new Result("SUCCESS", 0);
    public static final Result UNSTABLE = new Result("UNSTABLE", 1);
    public static final Result FAILURE = new Result("FAILURE", 2);
    public static final Result NOT_BUILT = new Result("NOT_BUILT", 3);
    public static final Result ABORTED = new Result("ABORTED", 4);

    private final String name;
    public final int ordinal;

    private Result(String name, int ordinal) {
        this.name = name;
        this.ordinal = ordinal;
    }

    public Result combine(Result that) {
        return ordinal < that.ordinal ? that : this;
    }

    public static Result combine(Result r1, Result r2) {
        return r1.combine(r2);
    }

    public boolean isWorseThan(Result that) {
        return ordinal > that.ordinal;
    }

    public boolean isWorseOrEqualTo(Result that) {
        return ordinal >= that.ordinal;
    }

    public boolean isBetterThan(Result that) {
        return ordinal < that.ordinal;
    }

    public boolean isBetterOrEqualTo(Result that) {
        return ordinal <= that.ordinal;
    }

    public boolean isCompleteBuild() {
        return ordinal <= FAILURE.ordinal;
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public String toExportedObject() {
        return name;
    }

    public static Result fromString(String s) {
        for (Result r : new Result[] {SUCCESS, UNSTABLE, FAILURE, NOT_BUILT, ABORTED}) {
            if (s.equalsIgnoreCase(r.name)) {
                return r;
            }
        }
        return FAILURE;
    }
}
