package hudson.model;

/** Stand-in for jenkins-core {@code hudson.model.DescriptorByNameOwner}. */
public interface DescriptorByNameOwner extends ModelObject {
    @SuppressWarnings("rawtypes")
    default Descriptor getDescriptorByName(String id) {
        throw new UnsupportedOperationException("stand-in");
    }
}
