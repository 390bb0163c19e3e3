package hudson.model;

import hudson.security.ACL;
import hudson.security.AccessControlled;
import java.io.File;
import java.io.IOException;

/** Stand-in for jenkins-core {@code hudson.model.AbstractItem}. */
public abstract class AbstractItem extends Actionable implements Item, AccessControlled, DescriptorByNameOwner {

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
    public final String getFullName() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public final String getFullDisplayName() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public final String getUrl() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public ACL getACL() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public synchronized void save() throws IOException {
        throw new UnsupportedOperationException("stand-in");
    }
}
