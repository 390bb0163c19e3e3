package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * EVM-5: the site that hosts a new VM. Only sites whose free capacity (configured capacity minus the live VMs
 * recorded there) fits the request qualify; among them the closest to the requested location wins (ties: more free
 * vCPU, then name). Without coordinates, a site in the requested zone, then region, is preferred; without any
 * location the site with the largest free vCPU share wins.
 */
public final class SitePlacement {

    /** The chosen site and the reasoning, one line per considered site. */
    public record Choice(EdgeSettings.Site site, List<String> explanation) {
    }

    private record Candidate(EdgeSettings.Site site, int freeCpu, long freeMemoryMi, int freeVms, double rank,
                             Optional<Double> km) {
        boolean fits(EdgeVmRequest r) {
            return freeCpu >= r.cpu() && freeMemoryMi >= r.memoryMi() && freeVms >= 1;
        }

        double freeCpuShare() {
            return (double) freeCpu / site.capacity().cpu();
        }

        String describe() {
            return site.name() + ": free " + freeCpu + " vCPU, " + Quantities.mi(freeMemoryMi) + ", " + freeVms
                    + " VM slot(s)" + km.map(d -> String.format(Locale.ROOT, ", %.0f km away", d)).orElse("");
        }
    }

    private SitePlacement() {
    }

    public static Choice choose(EdgeSettings settings, EdgeVmRequest request, Collection<VmRecord> live) {
        if (settings.sites().isEmpty()) {
            throw new InvalidInputException("edgeVms.sites", "must define at least one edge site");
        }
        List<EdgeSettings.Site> sites = settings.sites();
        if (request.site().isPresent()) {
            sites = List.of(settings.site(request.site().get()).orElseThrow(() -> new InvalidInputException("site",
                    "'" + request.site().get() + "' is not a configured edge site")));
        }
        List<Candidate> candidates = new ArrayList<>();
        for (EdgeSettings.Site site : sites) {
            int usedCpu = 0;
            long usedMemory = 0;
            int usedVms = 0;
            for (VmRecord r : live) {
                if (r.site().equals(site.name()) && r.state().holdsResources()) {
                    usedCpu += r.cpu();
                    usedMemory += r.memoryMi();
                    usedVms++;
                }
            }
            Optional<Double> km = request.location().map(p -> p.distanceKm(site.point()));
            double rank = km.orElseGet(() -> locationRank(site, request));
            candidates.add(new Candidate(site, site.capacity().cpu() - usedCpu,
                    site.capacity().memoryMi("site memory") - usedMemory, site.capacity().vms() - usedVms, rank, km));
        }
        List<String> lines = new ArrayList<>();
        Optional<Candidate> best = candidates.stream().filter(c -> c.fits(request))
                .min(Comparator.comparingDouble(Candidate::rank)
                        .thenComparing(Comparator.comparingDouble(Candidate::freeCpuShare).reversed())
                        .thenComparing(c -> c.site().name()));
        for (Candidate c : candidates) {
            lines.add("site " + c.describe() + (c.fits(request) ? "" : " (too little free capacity)"));
        }
        if (best.isEmpty()) {
            throw new OperationFailedException("No edge site can host " + request.cpu() + " vCPU and "
                    + Quantities.mi(request.memoryMi()) + ": " + String.join("; ", lines)
                    + ". Delete idle VMs or add capacity; nothing was created.");
        }
        lines.add("site chosen: " + best.get().site().name() + (request.location().isPresent()
                ? " (closest with capacity to " + request.location().get() + ")"
                : request.site().isPresent() ? " (requested)" : " (best location match, then most free vCPU)"));
        return new Choice(best.get().site(), lines);
    }

    private static double locationRank(EdgeSettings.Site site, EdgeVmRequest request) {
        if (request.zone().isPresent() && request.zone().get().equals(site.zone())) {
            return 0;
        }
        if (request.region().isPresent() && request.region().get().equals(site.region())) {
            return 1;
        }
        return 2;
    }
}
