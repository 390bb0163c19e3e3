package jenkins.security;

import java.io.Serializable;

/** Stand-in for jenkins-core {@code jenkins.security.SerializableOnlyOverRemoting}. */
public interface SerializableOnlyOverRemoting extends Serializable {
}
