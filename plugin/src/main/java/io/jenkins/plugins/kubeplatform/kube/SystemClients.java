package io.jenkins.plugins.kubeplatform.kube;

import hudson.AbortException;
import hudson.init.Terminator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.kube.ClusterConnection;
import io.jenkins.plugins.kubeplatform.engine.kube.KubernetesClients;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The controller's clients for its own background work, pages and stores (the expose sync, the pin release and GC,
 * the repair page, the cluster-backed ledger and VM inventory), which run as SYSTEM with the configured credential:
 * one client per configured cluster connection, kept between runs and requests. Every {@link #lease} resolves the
 * connection again and compares a SHA-256 fingerprint of it (server, CA, TLS flag, namespace and the credential's
 * content), so a changed configuration or a rotated credential gets a new client; the old one is closed once the runs
 * still using it give it back (a store keeps its lease until its setting changes). Jenkins' shutdown closes the
 * clients no one holds. Builds keep their own per-build clients (their credential is looked up in their context).
 */
public final class SystemClients implements AutoCloseable {

    /** Resolves a configured cluster name ({@code ""}: the default) into a connection, credential included. */
    @FunctionalInterface
    public interface Resolver {
        ClusterConnection connection(String cluster) throws AbortException;
    }

    private static final Logger LOG = Logger.getLogger(SystemClients.class.getName());
    private static final SystemClients PLUGIN = new SystemClients(JenkinsClusters::connectionAsSystem,
            connection -> KubernetesClients.create(connection));

    private final Resolver resolver;
    private final Function<ClusterConnection, KubernetesClient> factory;
    /** By resolved connection name; the current client of each connection. */
    private final Map<String, Shared> current = new HashMap<>();
    private boolean closed;

    public SystemClients(Resolver resolver, Function<ClusterConnection, KubernetesClient> factory) {
        this.resolver = resolver;
        this.factory = factory;
    }

    /** The plugin's holder. */
    public static SystemClients get() {
        return PLUGIN;
    }

    /** Jenkins is shutting down: every client is closed (those in use as soon as their runs give them back). */
    @Terminator
    public static void shutdown() {
        PLUGIN.close();
    }

    /**
     * The client of {@code cluster} ({@code ""}: the default), shared with other runs; close the lease, never the
     * client. A cluster that is not configured, or whose credential is missing, fails with the resolver's message.
     */
    public Lease lease(String cluster) throws AbortException {
        ClusterConnection connection = resolver.connection(cluster == null ? "" : cluster);
        String fingerprint = fingerprint(connection);
        Shared retired = null;
        Shared shared;
        synchronized (this) {
            if (closed) {
                throw new AbortException("the Kubernetes clients of the controller are closed: Jenkins is "
                        + "shutting down");
            }
            shared = current.get(connection.name());
            if (shared == null || !shared.fingerprint.equals(fingerprint)) {
                retired = shared;
                shared = new Shared(fingerprint, factory.apply(connection));
                current.put(connection.name(), shared);
            }
            shared.leases++;
        }
        if (retired != null) {
            retire(retired);
        }
        return new Lease(shared);
    }

    /** Closes every client now unused, and the others when their last lease is closed; later leases fail. */
    @Override
    public void close() {
        List<Shared> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(current.values());
            current.clear();
        }
        all.forEach(this::retire);
    }

    private void retire(Shared shared) {
        boolean unused;
        synchronized (this) {
            shared.retired = true;
            unused = shared.leases == 0;
        }
        if (unused) {
            closeQuietly(shared.client);
        }
    }

    private void giveBack(Shared shared) {
        boolean unused;
        synchronized (this) {
            shared.leases--;
            unused = shared.retired && shared.leases == 0;
        }
        if (unused) {
            closeQuietly(shared.client);
        }
    }

    private static void closeQuietly(KubernetesClient client) {
        try {
            client.close();
        } catch (RuntimeException e) {
            // a client that fails to close holds no state of ours; the next lease builds a fresh one
            LOG.log(Level.FINE, "closing a replaced Kubernetes client failed", e);
        }
    }

    /**
     * A SHA-256 digest of every component of {@code connection}, the credential's secret content included, so that
     * the holder can tell a changed connection without keeping its secret.
     */
    static String fingerprint(ClusterConnection connection) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            feed(digest, connection);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Records and optionals by their parts, each value length-prefixed so that no two inputs feed the same bytes. */
    private static void feed(MessageDigest digest, Object value) {
        if (value instanceof Record record) {
            feedText(digest, record.getClass().getName());
            for (var component : record.getClass().getRecordComponents()) {
                try {
                    feed(digest, component.getAccessor().invoke(record));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + component.getName() + " of a connection", e);
                }
            }
        } else if (value instanceof Optional<?> optional) {
            feedText(digest, optional.isPresent() ? "some" : "none");
            optional.ifPresent(v -> feed(digest, v));
        } else {
            feedText(digest, String.valueOf(value));
        }
    }

    private static void feedText(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }

    /** One connection's client with the number of runs using it. */
    private static final class Shared {
        final String fingerprint;
        final KubernetesClient client;
        int leases;
        boolean retired;

        Shared(String fingerprint, KubernetesClient client) {
            this.fingerprint = fingerprint;
            this.client = client;
        }
    }

    /** The use of a shared client by one run or request; closing it gives the client back (never closes it). */
    public final class Lease implements AutoCloseable {
        private final Shared shared;
        private boolean returned;

        private Lease(Shared shared) {
            this.shared = shared;
        }

        public KubernetesClient client() {
            return shared.client;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (returned) {
                    return;
                }
                returned = true;
            }
            giveBack(shared);
        }
    }
}
