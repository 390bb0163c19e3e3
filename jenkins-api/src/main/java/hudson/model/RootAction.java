package hudson.model;

import hudson.ExtensionPoint;

/** Stand-in for jenkins-core {@code hudson.model.RootAction}. */
public interface RootAction extends Action, ExtensionPoint {
}
