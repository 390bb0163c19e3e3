package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import java.util.Optional;

/**
 * A validated request for an edge VM (EVM-1). Build it with {@link #of}, which checks every field and names the
 * one that breaks a rule.
 *
 * @param name      the VM's name for its tenant (DNS label)
 * @param tenant    who owns and pays for it (DNS label)
 * @param cpu       vCPUs
 * @param memoryMi  memory in MiB
 * @param diskGi    disk in GiB
 * @param image     root disk source
 * @param exclusive the VM gets an edge cluster of its own
 * @param location  where the VM should be close to
 * @param region    preferred site region (used when no coordinates are given)
 * @param zone      preferred site zone (used when no coordinates are given)
 * @param site      a site to use instead of choosing one
 * @param cluster   an edge cluster to join instead of planning one
 */
public record EdgeVmRequest(
        String name,
        String tenant,
        int cpu,
        long memoryMi,
        long diskGi,
        ImageSource image,
        boolean exclusive,
        Optional<GeoPoint> location,
        Optional<String> region,
        Optional<String> zone,
        Optional<String> site,
        Optional<String> cluster) {

    static final int MAX_NAME = 40;
    static final int MAX_TENANT = 20;

    /** Validates raw input; optional values may be null or blank. */
    public static EdgeVmRequest of(String name, String tenant, int cpu, String memory, String disk, String image,
                                   boolean exclusive, String location, String region, String zone, String site,
                                   String cluster) {
        Require.dnsLabel("name", name);
        if (name.length() > MAX_NAME) {
            throw new InvalidInputException("name", "must be at most " + MAX_NAME + " characters (the VM is named "
                    + "<tenant>-<name>); got " + name.length());
        }
        Require.dnsLabel("tenant", tenant);
        if (tenant.length() > MAX_TENANT) {
            throw new InvalidInputException("tenant", "must be at most " + MAX_TENANT + " characters; got "
                    + tenant.length());
        }
        Require.range("cpu", cpu, 1, 256);
        long memoryMi = Quantities.mebibytes("memory", memory);
        if (memoryMi < 128) {
            throw new InvalidInputException("memory", "must be at least 128Mi; got '" + memory + "'");
        }
        long diskGi = Quantities.gibibytes("disk", disk);
        ImageSource source = ImageSource.parse("image", image);
        Optional<GeoPoint> point = blank(location).map(l -> GeoPoint.parse("location", l));
        Optional<String> siteName = blank(site).map(s -> Require.dnsLabel("site", s));
        Optional<String> clusterName = blank(cluster).map(c -> Require.dnsLabel("cluster", c));
        if (exclusive && clusterName.isPresent()) {
            throw new InvalidInputException("cluster", "cannot be combined with exclusive: an exclusive VM gets a "
                    + "new edge cluster of its own");
        }
        return new EdgeVmRequest(name, tenant, cpu, memoryMi, diskGi, source, exclusive, point,
                blank(region).map(r -> Require.dnsLabel("region", r)), blank(zone).map(z -> Require.dnsLabel("zone", z)),
                siteName, clusterName);
    }

    /** The VirtualMachine's (and the node's) name: unique per tenant and name. */
    public String vmName() {
        return vmName(tenant, name);
    }

    static String vmName(String tenant, String name) {
        return tenant + "-" + name;
    }

    private static Optional<String> blank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
