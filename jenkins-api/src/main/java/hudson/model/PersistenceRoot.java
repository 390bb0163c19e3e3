package hudson.model;

import java.io.File;

/** Stand-in for jenkins-core {@code hudson.model.PersistenceRoot}. */
public interface PersistenceRoot extends Saveable {
    File getRootDir();
}
