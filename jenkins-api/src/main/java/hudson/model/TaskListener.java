package hudson.model;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import jenkins.security.SerializableOnlyOverRemoting;

/** Stand-in for jenkins-core {@code hudson.model.TaskListener}: where a build or task writes its log. */
public interface TaskListener extends SerializableOnlyOverRemoting {

    PrintStream getLogger();

    default Charset getCharset() {
        throw new UnsupportedOperationException("stand-in");
    }

    default PrintWriter error(String msg) {
        throw new UnsupportedOperationException("stand-in");
    }

    default PrintWriter error(String format, Object... args) {
        throw new UnsupportedOperationException("stand-in");
    }

    default PrintWriter fatalError(String msg) {
        throw new UnsupportedOperationException("stand-in");
    }

    default PrintWriter fatalError(String format, Object... args) {
        throw new UnsupportedOperationException("stand-in");
    }
}
