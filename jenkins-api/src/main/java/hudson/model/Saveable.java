package hudson.model;

import java.io.IOException;

/** Stand-in for jenkins-core {@code hudson.model.Saveable}. */
public interface Saveable {
    void save() throws IOException;
}
