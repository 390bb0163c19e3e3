package hudson.remoting;

/** Stand-in for remoting {@code hudson.remoting.VirtualChannel}: the channel to an agent (no methods used here). */
public interface VirtualChannel {
}
