package hudson.model;

/** Stand-in for jenkins-core {@code hudson.model.ResourceController} (base of {@link Queue}). */
public class ResourceController {
}
