package hudson;

/** Stand-in for jenkins-core {@code hudson.ExtensionPoint}: marker of extension points. */
public interface ExtensionPoint {
}
