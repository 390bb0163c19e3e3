package jenkins.util.io;

/** Stand-in for jenkins-core {@code jenkins.util.io.OnMaster}: marker of controller-only objects. */
public interface OnMaster {
}
