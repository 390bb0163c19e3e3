package io.jenkins.plugins.kubeplatform.engine.kube;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API server's {@code Warning} response headers (Pod Security {@code warn} level, deprecated annotations and
 * fields, deprecated API versions), shown as {@code kubectl} shows them: one line per distinct text, as the responses
 * come. fabric8's typed API drops these headers, so {@link KubernetesClients} installs {@link #interceptor()} on the
 * client's HTTP client, which sees every response (writes, dry runs, reads, watch handshakes). A text already shown
 * by this instance is not shown again: one instance per step run (or CLI invocation) shows each warning once however
 * many writes, lists and watches repeat it.
 */
public final class ServerWarnings {

    /** The interceptor's name in fabric8's interceptor map; re-adding under it replaces ours. */
    static final String INTERCEPTOR = "kubeplatform-server-warnings";

    /**
     * One warning value of RFC 7234 §5.5: {@code warn-code SP warn-agent SP warn-text [SP warn-date]}, the text a
     * quoted-string whose quotes and backslashes are backslash-escaped (kube-apiserver's {@code net.NewWarningHeader}
     * writes code 299 and agent {@code -}). Several values may share one header, comma-separated.
     */
    private static final Pattern WARNING = Pattern.compile("(\\d{3}) \\S+ \"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Bounds the memory of a long-lived (controller) client; a step run meets a handful of texts. */
    private static final int REMEMBERED = 1000;

    private static final Logger LOG = Logger.getLogger(ServerWarnings.class.getName());

    private final Progress progress;
    private final Set<String> shown = ConcurrentHashMap.newKeySet();

    /** Shows each distinct warning as {@code [warn] the API server warns: <text>} on {@code progress}. */
    public ServerWarnings(Progress progress) {
        this.progress = progress;
    }

    /**
     * For the controller's own long-lived clients (background work and pages, no build log): warnings go to the
     * Java log at INFO.
     */
    public static ServerWarnings toJavaLog() {
        return new ServerWarnings(Progress.lines(line -> LOG.log(Level.INFO, line)));
    }

    /**
     * The texts of {@code Warning} header values, in order, each once. As client-go's warning writer (kubectl's),
     * only code 299 with a non-empty text counts; what does not parse as RFC 7234 is skipped.
     */
    public static List<String> texts(List<String> headers) {
        List<String> texts = new ArrayList<>();
        for (String header : headers == null ? List.<String>of() : headers) {
            Matcher m = WARNING.matcher(header);
            while (m.find()) {
                String text = m.group(2).replaceAll("\\\\(.)", "$1");
                if (m.group(1).equals("299") && !text.isEmpty() && !texts.contains(text)) {
                    texts.add(text);
                }
            }
        }
        return texts;
    }

    /** Shows the warnings of these {@code Warning} header values that this instance has not shown yet. */
    public void report(List<String> headers) {
        for (String text : texts(headers)) {
            if (shown.size() >= REMEMBERED) {
                shown.clear();
            }
            if (shown.add(text)) {
                progress.warn("the API server warns: " + text);
            }
        }
    }

    /** Reads the {@code Warning} headers of every response the client receives. */
    Interceptor interceptor() {
        return new Interceptor() {
            @Override
            public void after(HttpRequest request, HttpResponse<?> response,
                    AsyncBody.Consumer<List<ByteBuffer>> consumer) {
                try {
                    report(response.headers("Warning"));
                } catch (RuntimeException e) {
                    // a failing log must not fail the request whose response it reports on
                    LOG.log(Level.FINE, "could not show the API server's warnings", e);
                }
            }
        };
    }
}
