package jenkins.model;

import java.io.IOException;

/** Stand-in for jenkins-core {@code jenkins.model.Loadable}. */
public interface Loadable {
    void load() throws IOException;
}
