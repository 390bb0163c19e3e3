package org.jenkinsci.remoting;

import java.io.Serializable;

/**
 * Stand-in for remoting's {@code org.jenkinsci.remoting.SerializableOnlyOverRemoting} (remoting 3.14+): objects that
 * are serializable only to be sent over a remoting channel. Its restricted default method
 * {@code getChannelForSerialization()} is not modelled (it needs {@code hudson.remoting.Channel}).
 */
public interface SerializableOnlyOverRemoting extends Serializable {
}
