package org.jenkinsci.remoting;

/** Stand-in for remoting {@code org.jenkinsci.remoting.RoleChecker}. */
public abstract class RoleChecker {
}
