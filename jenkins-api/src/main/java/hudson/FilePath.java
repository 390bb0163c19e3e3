package hudson;

import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import org.jenkinsci.remoting.SerializableOnlyOverRemoting;
import org.jenkinsci.remoting.RoleSensitive;

/** Stand-in for jenkins-core {@code hudson.FilePath}. */
public final class FilePath implements SerializableOnlyOverRemoting {

    private static final long serialVersionUID = 1L;

    /** Work on a file or directory, run on the machine that has it. */
    public interface FileCallable<T> extends Serializable, RoleSensitive {
        T invoke(File f, VirtualChannel channel) throws IOException, InterruptedException;
    }

    public FilePath(File localPath) {
        throw new UnsupportedOperationException("stand-in");
    }

    public FilePath(FilePath base, String rel) {
        throw new UnsupportedOperationException("stand-in");
    }

    public <T> T act(final FileCallable<T> callable) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stand-in");
    }

    public String getRemote() {
        throw new UnsupportedOperationException("stand-in");
    }

    public String getName() {
        throw new UnsupportedOperationException("stand-in");
    }

    public FilePath child(String relOrAbsolute) {
        throw new UnsupportedOperationException("stand-in");
    }

    public boolean exists() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stand-in");
    }

    public boolean isDirectory() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stand-in");
    }

    public void mkdirs() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stand-in");
    }

    public boolean delete() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stand-in");
    }

    public String readToString() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stand-in");
    }

    public void write(String content, String encoding) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stand-in");
    }
}
