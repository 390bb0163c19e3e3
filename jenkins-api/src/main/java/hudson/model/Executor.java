package hudson.model;

/** Stand-in for jenkins-core {@code hudson.model.Executor}: the thread running a build on a computer. */
public class Executor extends Thread implements ModelObject {

    public Executor(Computer owner, int n) {
        throw new UnsupportedOperationException("stand-in");
    }

    public void interrupt(Result result) {
        throw new UnsupportedOperationException("stand-in");
    }

    public Computer getOwner() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public String getDisplayName() {
        throw new UnsupportedOperationException("stand-in");
    }

    public static Executor currentExecutor() {
        throw new UnsupportedOperationException("stand-in");
    }
}
