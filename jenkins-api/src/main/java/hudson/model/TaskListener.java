package hudson.model;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

/** Stand-in for jenkins-core {@code hudson.model.TaskListener}: where a build or task writes its log. */
public interface TaskListener extends SerializableOnlyOverRemoting {

    /** Discards the output. */
    TaskListener NULL = () -> new PrintStream(OutputStream.nullOutputStream());

    PrintStream getLogger();

    default void hyperlink(String url, String text) throws IOException {
        throw new UnsupportedOperationException("stand-in");
    }

    default PrintWriter error(String msg) {
        getLogger().println("ERROR: " + msg);
        return new PrintWriter(getLogger(), true);
    }

    default PrintWriter error(String format, Object... args) {
        return error(String.format(format, args));
    }

    default PrintWriter fatalError(String msg) {
        getLogger().println("FATAL: " + msg);
        return new PrintWriter(getLogger(), true);
    }

    default PrintWriter fatalError(String format, Object... args) {
        return fatalError(String.format(format, args));
    }
}
