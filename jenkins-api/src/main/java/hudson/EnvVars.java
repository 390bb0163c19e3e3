package hudson;

import java.util.Map;
import java.util.TreeMap;

/** Stand-in for jenkins-core {@code hudson.EnvVars}. */
public class EnvVars extends TreeMap<String, String> {

    private static final long serialVersionUID = 1L;

    public EnvVars() {
    }

    public EnvVars(Map<String, String> m) {
        super(m);
    }

    public String expand(String s) {
        throw new UnsupportedOperationException("stand-in");
    }
}
