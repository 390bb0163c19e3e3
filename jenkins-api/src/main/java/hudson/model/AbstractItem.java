package hudson.model;

import hudson.security.ACL;
import java.io.File;

/** Stand-in for jenkins-core {@code hudson.model.AbstractItem}. */
public abstract class AbstractItem extends Actionable implements Item, DescriptorByNameOwner {

    @SuppressWarnings("rawtypes")
    protected AbstractItem(ItemGroup parent, String name) {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public String getName() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public String getDisplayName() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public ItemGroup<? extends Item> getParent() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public File getRootDir() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public String getFullName() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public String getFullDisplayName() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public String getUrl() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public ACL getACL() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public synchronized void save() {
        throw new UnsupportedOperationException("stand-in");
    }
}
