package hudson.model;

import java.util.Set;

/** Stand-in for jenkins-core {@code hudson.model.Label}: a group of nodes. */
public abstract class Label extends Actionable implements Comparable<Label> {

    protected Label(String name) {
        throw new UnsupportedOperationException("stand-in");
    }

    public final String getName() {
        throw new UnsupportedOperationException("stand-in");
    }

    public String getDisplayName() {
        throw new UnsupportedOperationException("stand-in");
    }

    public abstract String getExpression();

    public Set<Node> getNodes() {
        throw new UnsupportedOperationException("stand-in");
    }

    public final boolean matches(Node n) {
        throw new UnsupportedOperationException("stand-in");
    }

    public boolean contains(Node node) {
        throw new UnsupportedOperationException("stand-in");
    }

    public boolean isEmpty() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public final int compareTo(Label that) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static Label get(String l) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static Label parseExpression(String labelExpression) {
        throw new UnsupportedOperationException("stand-in");
    }
}
