package hudson.util;

import java.io.IOException;
import java.util.Collection;

/**
 * Stand-in for jenkins-core {@code hudson.util.FormValidation}: the result of a {@code doCheck*} method.
 * The real class also implements stapler's HttpResponse (its servlet-bound method is not modelled).
 */
public abstract class FormValidation extends IOException {

    private static final long serialVersionUID = 1L;

    public final Kind kind;

    private FormValidation(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public static FormValidation ok() {
        return respond(Kind.OK, null);
    }

    public static FormValidation ok(String message) {
        return respond(Kind.OK, message);
    }

    public static FormValidation ok(String format, Object... args) {
        return respond(Kind.OK, String.format(format, args));
    }

    public static FormValidation warning(String message) {
        return respond(Kind.WARNING, message);
    }

    public static FormValidation warning(String format, Object... args) {
        return respond(Kind.WARNING, String.format(format, args));
    }

    public static FormValidation warning(Throwable e, String message) {
        return respond(Kind.WARNING, message);
    }

    public static FormValidation error(String message) {
        return respond(Kind.ERROR, message);
    }

    public static FormValidation error(String format, Object... args) {
        return respond(Kind.ERROR, String.format(format, args));
    }

    public static FormValidation error(Throwable e, String message) {
        return respond(Kind.ERROR, message);
    }

    public static FormValidation aggregate(Collection<FormValidation> validations) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static FormValidation validateRequired(String value) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static FormValidation validatePositiveInteger(String value) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static FormValidation validateNonNegativeInteger(String value) {
        throw new UnsupportedOperationException("stand-in");
    }

    public abstract String renderHtml();

    private static FormValidation respond(Kind kind, String message) {
        return new FormValidation(kind, message) {
            private static final long serialVersionUID = 1L;

            @Override
            public String renderHtml() {
                throw new UnsupportedOperationException("stand-in");
            }
        };
    }

    /** Stand-in for {@code FormValidation.Kind}. */
    public enum Kind {
        OK,
        WARNING,
        ERROR;
    }
}
