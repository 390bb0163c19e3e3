package hudson.slaves;

import java.util.Date;
import org.jvnet.localizer.Localizable;

/** Stand-in for jenkins-core {@code hudson.slaves.OfflineCause}: why a computer is offline. */
public abstract class OfflineCause {

    protected final long timestamp = System.currentTimeMillis();

    public long getTimestamp() {
        return timestamp;
    }

    public final Date getTime() {
        return new Date(timestamp);
    }

    public static OfflineCause create(Localizable d) {
        throw new UnsupportedOperationException("stand-in");
    }

    /** Stand-in for {@code OfflineCause.SimpleOfflineCause}: a static text. */
    public static class SimpleOfflineCause extends OfflineCause {

        public final Localizable description;

        protected SimpleOfflineCause(Localizable description) {
            this.description = description;
        }

        @Override
        public String toString() {
            return description.toString();
        }
    }
}
