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
        return respond(Kind.OK, "<div/>");
    }

    public static FormValidation ok(String message) {
        return okWithMarkup(message);
    }

    public static FormValidation ok(String format, Object... args) {
        return ok(String.format(format, args));
    }

    public static FormValidation warning(String message) {
        return warningWithMarkup(message);
    }

    public static FormValidation warning(String format, Object... args) {
        return warning(String.format(format, args));
    }

    public static FormValidation warning(Throwable e, String message) {
        return warning(message);
    }

    public static FormValidation warning(Throwable e, String format, Object... args) {
        return warning(e, String.format(format, args));
    }

    public static FormValidation error(String message) {
        return errorWithMarkup(message);
    }

    public static FormValidation error(String format, Object... args) {
        return error(String.format(format, args));
    }

    public static FormValidation error(Throwable e, String message) {
        return error(message);
    }

    public static FormValidation error(Throwable e, String format, Object... args) {
        return error(e, String.format(format, args));
    }

    public static FormValidation errorWithMarkup(String message) {
        return message == null ? ok() : respond(Kind.ERROR, message);
    }

    public static FormValidation warningWithMarkup(String message) {
        return message == null ? ok() : respond(Kind.WARNING, message);
    }

    public static FormValidation okWithMarkup(String message) {
        return message == null ? ok() : respond(Kind.OK, message);
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

    public static FormValidation validateIntegerInRange(String value, int lower, int upper) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static FormValidation respond(Kind kind, String html) {
        return new FormValidation(kind, html) {
            private static final long serialVersionUID = 1L;

            @Override
            public String renderHtml() {
                return html;
            }
        };
    }

    public abstract String renderHtml();

    /** Stand-in for {@code FormValidation.Kind}. */
    public enum Kind {
        OK,
        WARNING,
        ERROR;
    }
}
