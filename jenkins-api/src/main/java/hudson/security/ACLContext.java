package hudson.security;

/** Stand-in for jenkins-core {@code hudson.security.ACLContext}: restores the previous identity when closed. */
public class ACLContext implements AutoCloseable {

    private ACLContext() {
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("stand-in");
    }
}
