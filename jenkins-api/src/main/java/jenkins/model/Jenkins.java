package jenkins.model;

import hudson.ExtensionList;
import hudson.model.AbstractCIBase;
import hudson.model.Computer;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.DescriptorByNameOwner;
import hudson.model.Item;
import hudson.model.Label;
import hudson.model.Node;
import hudson.model.Queue;
import hudson.model.TopLevelItem;
import hudson.security.ACL;
import hudson.security.AccessControlled;
import hudson.security.Permission;
import hudson.security.PermissionGroup;
import java.io.File;
import java.io.IOException;
import java.util.List;
import jenkins.util.io.OnMaster;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;

/** Stand-in for jenkins-core {@code jenkins.model.Jenkins}: the root object of a controller. */
@SuppressWarnings("rawtypes")
public class Jenkins extends AbstractCIBase implements AccessControlled, DescriptorByNameOwner, OnMaster, Loadable {

    public static final PermissionGroup PERMISSIONS = new PermissionGroup(Jenkins.class, null);
    public static final Permission ADMINISTER = new Permission(PERMISSIONS, "Administer", null, null);
    public static final Permission MANAGE = new Permission(PERMISSIONS, "Manage", null, ADMINISTER);
    public static final Permission SYSTEM_READ = new Permission(PERMISSIONS, "SystemRead", null, ADMINISTER);
    public static final Permission READ = new Permission(PERMISSIONS, "Read", null, null);

    private Jenkins() {
        throw new UnsupportedOperationException("stand-in");
    }

    public static Jenkins get() throws IllegalStateException {
        throw new IllegalStateException("stand-in: Jenkins is not running");
    }

    public static Jenkins getInstanceOrNull() {
        return null;
    }

    public static Authentication getAuthentication2() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public File getRootDir() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public ACL getACL() {
        throw new UnsupportedOperationException("stand-in");
    }

    public Descriptor getDescriptor(String id) {
        throw new UnsupportedOperationException("stand-in");
    }

    public Descriptor getDescriptor(Class<? extends Describable> type) {
        throw new UnsupportedOperationException("stand-in");
    }

    public Descriptor getDescriptorOrDie(Class<? extends Describable> type) {
        throw new UnsupportedOperationException("stand-in");
    }

    public <T extends Descriptor> T getDescriptorByType(Class<T> type) {
        throw new UnsupportedOperationException("stand-in");
    }

    public <T> ExtensionList<T> getExtensionList(Class<T> extensionType) {
        throw new UnsupportedOperationException("stand-in");
    }

    public Queue getQueue() {
        throw new UnsupportedOperationException("stand-in");
    }

    public Node getNode(String name) {
        throw new UnsupportedOperationException("stand-in");
    }

    public List<Node> getNodes() {
        throw new UnsupportedOperationException("stand-in");
    }

    public Computer getComputer(String name) {
        throw new UnsupportedOperationException("stand-in");
    }

    public Computer[] getComputers() {
        throw new UnsupportedOperationException("stand-in");
    }

    public Label getLabel(String expr) {
        throw new UnsupportedOperationException("stand-in");
    }

    public String getRootUrl() {
        throw new UnsupportedOperationException("stand-in");
    }

    public Item getItemByFullName(String fullName) {
        throw new UnsupportedOperationException("stand-in");
    }

    public <T extends Item> T getItemByFullName(String fullName, Class<T> type) throws AccessDeniedException {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public List<TopLevelItem> getItems() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public TopLevelItem getItem(String name) throws AccessDeniedException {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public String getFullName() {
        return "";
    }

    @Override
    public String getFullDisplayName() {
        return "";
    }

    @Override
    public String getUrl() {
        return "";
    }

    @Override
    public String getDisplayName() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public String getNodeName() {
        return "";
    }

    @Override
    public String getNodeDescription() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public int getNumExecutors() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public String getLabelString() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public synchronized void save() throws IOException {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public void load() throws IOException {
        throw new UnsupportedOperationException("stand-in");
    }
}
