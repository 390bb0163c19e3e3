package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.internal.BaseOperation;
import io.fabric8.kubernetes.client.dsl.internal.OperationContext;
import java.net.MalformedURLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The informers one process of controllers shares, as kube-controller-manager's controllers share one informer
 * factory: one list and one watch per resource (and selector), decoded once, whatever number of controllers observe
 * it. The list and watch go through this process's own client, not a controller's rate-limited one (the real
 * factory has its own client too).
 */
public final class SharedInformers implements AutoCloseable {

    private final String name;
    private final KubernetesClient client;
    private final ScheduledExecutorService executor;
    private final ExecutorService opener;
    private final Map<String, Feed<?, ?>> feeds = new ConcurrentHashMap<>();

    /**
     * @param name   the process, for thread names and logs
     * @param client the client the lists and watches use; the caller keeps closing it
     */
    public SharedInformers(String name, KubernetesClient client) {
        this.name = name;
        this.client = client;
        this.executor = Executors.newSingleThreadScheduledExecutor(SimContext.daemon("sim-" + name + "-informers"));
        this.opener = Executors.newCachedThreadPool(SimContext.daemon("sim-" + name + "-informers-watch-open"));
    }

    /**
     * The feed for what {@code source} lists, opened on this process's client; empty for a source it cannot tell
     * apart from others (not fabric8's own operation), which the caller then observes on its own.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    <T extends HasMetadata, L extends KubernetesResourceList<T>> Optional<Feed<T, L>> feed(
            FilterWatchListDeletable<T, L, ?> source) {
        if (!(source instanceof BaseOperation<?, ?, ?> operation)) {
            return Optional.empty();
        }
        OperationContext context = operation.getOperationContext();
        String key;
        try {
            key = operation.getListType().getName() + " " + operation.getNamespacedUrl() + "?labelSelector="
                    + context.getLabelQueryParam() + "&fieldSelector=" + context.getFieldQueryParam();
        } catch (MalformedURLException e) {
            return Optional.empty();
        }
        Feed<?, ?> feed = feeds.computeIfAbsent(key, k -> new Feed<>(name + " " + k,
                (FilterWatchListDeletable) operation.newInstance(context.withClient(client)), executor, opener, true));
        return Optional.of((Feed<T, L>) feed);
    }

    /** How many resources (with selector) are listed and watched: one each, however many controllers observe them. */
    public int feeds() {
        return feeds.size();
    }

    /** Every object the feeds hold now (the objects handed to the controllers), for checks that none was changed. */
    java.util.List<HasMetadata> held() {
        java.util.List<HasMetadata> all = new java.util.ArrayList<>();
        feeds.values().forEach(f -> all.addAll(f.held()));
        return all;
    }

    @Override
    public void close() {
        feeds.values().forEach(Feed::close);
        executor.shutdownNow();
        opener.shutdownNow();
    }
}
