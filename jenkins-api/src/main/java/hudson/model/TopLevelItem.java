package hudson.model;

import hudson.ExtensionPoint;

/** Stand-in for jenkins-core {@code hudson.model.TopLevelItem}. */
public interface TopLevelItem extends Item, ExtensionPoint, Describable<TopLevelItem> {
}
