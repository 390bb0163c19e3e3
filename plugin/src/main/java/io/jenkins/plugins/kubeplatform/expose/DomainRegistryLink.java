package io.jenkins.plugins.kubeplatform.expose;

import hudson.Extension;
import io.jenkins.plugins.kubeplatform.common.StatusPageLink;
import io.jenkins.plugins.kubeplatform.engine.expose.DomainRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/** Manage Jenkins › App domains: every registered host with its owner, Service and route (read only). */
@Extension
@ExportedBean
public final class DomainRegistryLink extends StatusPageLink {

    public DomainRegistryLink() {
        super("symbol-globe-outline plugin-ionicons-api", "kubeplatform-domains", Jenkins.ADMINISTER);
    }

    @Override
    public String getDisplayName() {
        return Messages.DomainRegistryLink_DisplayName();
    }

    @Override
    public String getDescription() {
        return Messages.DomainRegistryLink_Description();
    }

    /** The registry entries as {@code api/json} writes them. */
    @Exported(name = "hosts", inline = true)
    public List<Map<String, Object>> getHosts() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (DomainRegistry.Entry e : getEntries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", e.host());
            m.put("namespace", e.namespace());
            m.put("app", e.app());
            m.put("service", e.service());
            m.put("port", e.port());
            m.put("route", e.route());
            m.put("routeName", e.routeName());
            m.put("requestedBy", e.requestedBy());
            m.put("source", e.source());
            m.put("upstreams", new ArrayList<>(e.servers()));
            m.put("updatedAt", String.valueOf(e.updatedAt()));
            out.add(m);
        }
        return out;
    }

    /**
     * One line of the page: host → owner → the addresses the platform's nginx balances the host over.
     *
     * @param upstreams ready endpoints as of the last expose or sync pass; empty without nginx mode
     */
    public record Row(String host, String owner, List<String> upstreams, String service, String route,
            String requestedBy, String source, String updatedAt) {

        /** The addresses for display, or a dash. */
        public String getUpstreamText() {
            return upstreams.isEmpty() ? "-" : String.join(", ", upstreams);
        }
    }

    /** The registry as rows (host, owner, upstream addresses, ...), for index.jelly. */
    public List<Row> getRows() {
        return rows(getEntries());
    }

    static List<Row> rows(List<DomainRegistry.Entry> entries) {
        List<Row> rows = new java.util.ArrayList<>();
        for (DomainRegistry.Entry e : entries) {
            List<String> upstreams = !e.servers().isEmpty() ? e.servers()
                    : e.upstream() == null ? List.of() : List.of(e.upstream());
            rows.add(new Row(e.host(), e.owner(), upstreams,
                    e.service() == null || e.service().isEmpty() ? "" : e.service() + ":" + e.port(),
                    (e.route() + " " + (e.routeName() == null ? "" : e.routeName())).strip(), e.requestedBy(),
                    e.source(), e.updatedAt() == null ? "" : e.updatedAt().toString()));
        }
        return rows;
    }

    /** The registry entries, for index.jelly. */
    public List<DomainRegistry.Entry> getEntries() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return new ArrayList<>(DomainRegistries.get().read().hosts().values());
    }
}
