package io.jenkins.plugins.kubeplatform.sim.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The Docker registry HTTP API V2, as far as tests need it: read manifests, blobs and tags to check what was pushed,
 * and push blobs and manifests to create base images without any image tool.
 */
public final class RegistryApi {

    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http;
    private final String authorization;

    RegistryApi(String baseUrl, Path trustedCertificate, String username, String password) {
        this.baseUrl = baseUrl;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (trustedCertificate != null) {
            builder.sslContext(trusting(trustedCertificate));
        }
        this.http = builder.build();
        this.authorization = username == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A manifest as stored: its digest (the registry's Docker-Content-Digest), media type and JSON body. */
    public record Manifest(String digest, String mediaType, JsonNode body) {

        /** The digests of the layers, base image layers first. */
        public List<String> layerDigests() {
            List<String> digests = new ArrayList<>();
            body.path("layers").forEach(l -> digests.add(l.path("digest").asText()));
            return digests;
        }

        public String configDigest() {
            return body.path("config").path("digest").asText();
        }
    }

    /** GET /v2/: the HTTP status (200 open or authenticated, 401 credentials missing or rejected). */
    public int ping() {
        return send(request("/v2/").GET(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    public Optional<Manifest> manifest(String repository, String reference) {
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/manifests/" + reference)
                .header("Accept", DOCKER_MANIFEST + ", " + OCI_MANIFEST).GET(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        expect(response, 200, "GET manifest " + repository + ":" + reference);
        return Optional.of(new Manifest(response.headers().firstValue("Docker-Content-Digest").orElseThrow(),
                response.headers().firstValue("Content-Type").orElse(""), readJson(response.body())));
    }

    public byte[] blob(String repository, String digest) {
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/blobs/" + digest).GET(),
                HttpResponse.BodyHandlers.ofByteArray());
        expect(response, 200, "GET blob " + digest);
        return response.body();
    }

    /** The image configuration (entrypoint, env, labels, exposed ports) of a manifest. */
    public JsonNode config(String repository, Manifest manifest) {
        return readJson(blob(repository, manifest.configDigest()));
    }

    public List<String> tags(String repository) {
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/tags/list").GET(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 404) {
            return List.of();
        }
        expect(response, 200, "GET tags of " + repository);
        List<String> tags = new ArrayList<>();
        readJson(response.body()).path("tags").forEach(t -> tags.add(t.asText()));
        return tags;
    }

    /** Monolithic blob upload; returns the blob's digest. */
    public String pushBlob(String repository, byte[] content) {
        String digest = sha256(content);
        HttpResponse<Void> started = send(request("/v2/" + repository + "/blobs/uploads/")
                .POST(HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
        expect(started, 202, "start upload to " + repository);
        String location = started.headers().firstValue("Location").orElseThrow();
        URI upload = URI.create(baseUrl).resolve(location);
        String separator = upload.getRawQuery() == null ? "?" : "&";
        HttpResponse<Void> done = send(HttpRequest.newBuilder(URI.create(upload + separator + "digest=" + digest))
                .headers(authHeaders()).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)), HttpResponse.BodyHandlers.discarding());
        expect(done, 201, "finish upload of " + digest);
        return digest;
    }

    /** PUT a manifest under a tag; returns the registry's digest of it. */
    public String pushManifest(String repository, String tag, String mediaType, byte[] manifest) {
        HttpResponse<Void> response = send(request("/v2/" + repository + "/manifests/" + tag)
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)),
                HttpResponse.BodyHandlers.discarding());
        expect(response, 201, "PUT manifest " + repository + ":" + tag);
        return response.headers().firstValue("Docker-Content-Digest").orElseGet(() -> sha256(manifest));
    }

    public static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).headers(authHeaders());
    }

    private String[] authHeaders() {
        return authorization == null ? new String[] {"User-Agent", "kubeplatform-test"}
                : new String[] {"User-Agent", "kubeplatform-test", "Authorization", authorization};
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request.build(), handler);
        } catch (IOException e) {
            throw new UncheckedIOException("registry request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void expect(HttpResponse<?> response, int status, String what) {
        if (response.statusCode() != status) {
            Object body = response.body();
            String text = body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : "";
            throw new IllegalStateException(what + ": HTTP " + response.statusCode() + " " + text);
        }
    }

    private static JsonNode readJson(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SSLContext trusting(Path certificate) {
        try (InputStream in = Files.newInputStream(certificate)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("registry", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the registry certificate", e);
        }
    }
}
