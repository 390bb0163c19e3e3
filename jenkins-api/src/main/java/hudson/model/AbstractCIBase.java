package hudson.model;

import hudson.security.AccessControlled;

/** Stand-in for jenkins-core {@code hudson.model.AbstractCIBase}: the base of {@code Jenkins}. */
public abstract class AbstractCIBase extends Node implements ItemGroup<TopLevelItem>, AccessControlled,
        DescriptorByNameOwner {
}
