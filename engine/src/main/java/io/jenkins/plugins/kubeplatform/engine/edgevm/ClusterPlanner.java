package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * EVM-6: which edge cluster a new VM joins. A pure function of the clusters' load and location.
 *
 * <p>Exclusive requests, or requests when every shared edge cluster is full, get a new edge cluster. Otherwise each
 * non-full, non-exclusive cluster is scored {@code loadWeight * nodes/maxNodes + distanceWeight * km/distanceScaleKm}
 * (km from the chosen site) and the lowest score wins; ties go to the shorter distance, then the name.
 */
public final class ClusterPlanner {

    /** What planning sees of one edge cluster. */
    public record ClusterView(String name, GeoPoint location, int nodes, int maxNodes, boolean exclusive) {
        boolean full() {
            return nodes >= maxNodes;
        }
    }

    /** The decision. */
    public sealed interface Plan {
        List<String> explanation();
    }

    /** Join an existing edge cluster. */
    public record Join(String cluster, double score, List<String> explanation) implements Plan {
    }

    /** Create a new edge cluster (a new node group) and join it. */
    public record Create(String cluster, String reason, List<String> explanation) implements Plan {
    }

    /** Lines of scores printed for the top candidates; the rest are counted. */
    static final int SHOWN = 5;

    private ClusterPlanner() {
    }

    public static Plan plan(Collection<ClusterView> clusters, GeoPoint site, String siteName, boolean exclusive,
                            Optional<String> pinned, EdgeSettings.Scoring scoring, Optional<String> newClusterPrefix) {
        List<String> lines = new ArrayList<>();
        if (pinned.isPresent()) {
            ClusterView view = clusters.stream().filter(c -> c.name().equals(pinned.get())).findFirst()
                    .orElseThrow(() -> new InvalidInputException("cluster", "'" + pinned.get()
                            + "' is not a configured or created edge cluster"));
            if (view.full() || view.exclusive()) {
                throw new OperationFailedException("Edge cluster " + view.name() + " cannot take the VM: "
                        + (view.exclusive() ? "it is exclusive to another VM" : "it is full (" + view.nodes() + "/"
                        + view.maxNodes() + " nodes)") + ". Nothing was created.");
            }
            lines.add("edge cluster " + view.name() + " requested (" + view.nodes() + "/" + view.maxNodes() + " nodes)");
            return new Join(view.name(), score(view, site, scoring), lines);
        }
        if (exclusive) {
            return create(clusters, siteName, newClusterPrefix, "the request is exclusive", lines);
        }
        List<ClusterView> open = new ArrayList<>();
        for (ClusterView c : clusters) {
            if (!c.exclusive() && !c.full()) {
                open.add(c);
            }
        }
        if (open.isEmpty()) {
            return create(clusters, siteName, newClusterPrefix, clusters.isEmpty() ? "there is no edge cluster yet"
                    : "every shared edge cluster is full", lines);
        }
        record Scored(ClusterView view, double km, double score) {
        }
        List<Scored> scored = new ArrayList<>(open.size());
        for (ClusterView c : open) {
            double km = site.distanceKm(c.location());
            scored.add(new Scored(c, km, score(c, km, scoring)));
        }
        scored.sort(Comparator.comparingDouble(Scored::score).thenComparingDouble(Scored::km)
                .thenComparing(s -> s.view().name()));
        lines.add(String.format(Locale.ROOT, "edge cluster scores (lower wins; score = %.2f x nodes/maxNodes + %.2f x "
                        + "km/%.0f; %d open of %d):", scoring.loadWeight(), scoring.distanceWeight(),
                scoring.distanceScaleKm(), open.size(), clusters.size()));
        for (int i = 0; i < Math.min(SHOWN, scored.size()); i++) {
            Scored s = scored.get(i);
            lines.add(String.format(Locale.ROOT, "  %s %.3f (load %d/%d, %.0f km from site %s)", s.view().name(),
                    s.score(), s.view().nodes(), s.view().maxNodes(), s.km(), siteName));
        }
        if (scored.size() > SHOWN) {
            lines.add("  ... and " + (scored.size() - SHOWN) + " more with higher scores");
        }
        Scored best = scored.get(0);
        lines.add("edge cluster chosen: " + best.view().name());
        return new Join(best.view().name(), best.score(), lines);
    }

    static double score(ClusterView c, GeoPoint site, EdgeSettings.Scoring scoring) {
        return score(c, site.distanceKm(c.location()), scoring);
    }

    private static double score(ClusterView c, double km, EdgeSettings.Scoring scoring) {
        return scoring.loadWeight() * c.nodes() / c.maxNodes() + scoring.distanceWeight() * km / scoring.distanceScaleKm();
    }

    private static Plan create(Collection<ClusterView> clusters, String siteName, Optional<String> prefix,
                               String reason, List<String> lines) {
        if (prefix.isEmpty()) {
            throw new OperationFailedException("A new edge cluster is needed (" + reason + ") but edge.newClusters is "
                    + "not configured. Nothing was created.");
        }
        Set<String> taken = new HashSet<>();
        clusters.forEach(c -> taken.add(c.name()));
        String base = prefix.get() + "-" + siteName + "-";
        int n = 1;
        while (taken.contains(base + n)) {
            n++;
        }
        String name = base + n;
        if (name.length() > 63) {
            throw new InvalidInputException("edgeVms.newClusterPrefix", "makes cluster names longer than 63 "
                    + "characters (" + name + ")");
        }
        lines.add("new edge cluster " + name + ": " + reason);
        return new Create(name, reason, lines);
    }
}
