package io.jenkins.plugins.kubeplatform.engine.image;

import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * One request to {@code https://registry/v2/} before the build, so that an unreachable registry or one without
 * verified HTTPS fails in a second with a clear message instead of after a minute of the image client's retries.
 * Anything inconclusive (a timeout, an HTTP status) lets the build go on.
 */
final class RegistryProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .proxy(ProxySelector.getDefault()).build();

    void check(String registry, String image, boolean allowInsecure) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://" + registry + "/v2/")).timeout(TIMEOUT)
                .GET().build();
        try {
            http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (SSLHandshakeException e) {
            if (!allowInsecure) {
                throw new OperationFailedException("the registry " + registry + " (for " + image + ") presents a TLS "
                        + "certificate this machine does not trust (" + e.getMessage() + "): add its CA to the Java "
                        + "trust store, or allow insecure registries (insecure: true / --insecure) if you trust the "
                        + "network; nothing was pushed", e);
            }
        } catch (SSLException e) {
            if (!allowInsecure) {
                throw new OperationFailedException("the registry " + registry + " (for " + image + ") does not speak "
                        + "HTTPS (" + e.getMessage() + "): allow insecure registries (insecure: true / --insecure) "
                        + "if you trust the network; nothing was pushed", e);
            }
        } catch (ConnectException | UnknownHostException e) {
            throw new OperationFailedException("cannot reach the registry " + registry + " (for " + image + "): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + "; nothing was pushed", e);
        } catch (IOException e) {
            // inconclusive (timeout, proxy, reset): the build itself reports what really goes wrong
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted while contacting the registry " + registry, e);
        }
    }
}
