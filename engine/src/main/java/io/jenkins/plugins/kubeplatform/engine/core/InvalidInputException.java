package io.jenkins.plugins.kubeplatform.engine.core;

/** User input broke a rule; raised before anything in the cluster changes (CLI exit code 2). */
public final class InvalidInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String rule;

    public InvalidInputException(String field, String rule) {
        super(field + ": " + rule);
        this.field = field;
        this.rule = rule;
    }

    public String field() {
        return field;
    }

    public String rule() {
        return rule;
    }
}
