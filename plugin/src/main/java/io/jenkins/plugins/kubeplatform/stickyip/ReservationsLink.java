package io.jenkins.plugins.kubeplatform.stickyip;

import hudson.AbortException;
import hudson.Extension;
import io.jenkins.plugins.kubeplatform.common.StatusPageLink;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger;
import io.jenkins.plugins.kubeplatform.engine.stickyip.Reservation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins › Sticky IP reservations: the ledger with filters, releasing one reservation and running GC now.
 * Everything requires Administer; the changing actions are POST only.
 */
@Extension
@ExportedBean
public final class ReservationsLink extends StatusPageLink {

    public ReservationsLink() {
        super("notepad.png", "sticky-ip-reservations", Jenkins.ADMINISTER);
    }

    @Override
    public String getDisplayName() {
        return Messages.ReservationsLink_DisplayName();
    }

    @Override
    public String getDescription() {
        return Messages.ReservationsLink_Description();
    }

    /** Every reservation, unfiltered, as {@code api/json} writes it. */
    @Exported(name = "reservations", inline = true)
    public List<Map<String, Object>> getReservations() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ReservationsViewModel.Row r : view(null, null, null).rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("identity", r.identity());
            m.put("namespace", r.namespace());
            m.put("ip", r.ip());
            m.put("pool", r.pool());
            m.put("kind", r.kind());
            m.put("state", r.state());
            m.put("node", r.node());
            m.put("idle", r.idle());
            m.put("owner", r.owner());
            m.put("created", r.created());
            m.put("pinReleased", r.pinReleased());
            m.put("pinReleasedAt", r.pinReleasedAt());
            out.add(m);
        }
        return out;
    }

    /** The page's data; called from index.jelly with the request's filter parameters. */
    public ReservationsViewModel view(String pool, String namespace, String text) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return ReservationsViewModel.of(StickyIpLedgers.get(), StickyIpConfiguration.get().validatedPools(), pool,
                namespace, text, Instant.now());
    }

    /** Releases one reservation, only if the identity still holds {@code ip}. */
    @POST
    public HttpResponse doRelease(@QueryParameter String identity, @QueryParameter String ip) throws AbortException {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        IpReservationLedger ledger = StickyIpLedgers.get();
        Optional<Reservation> current = ledger.get(identity == null ? "" : identity);
        if (current.isEmpty() || !current.get().ip().equals(ip) || !ledger.release(current.get())) {
            throw new AbortException(Messages.ReservationsLink_ReleaseRefused(identity, ip));
        }
        return HttpResponses.redirectToDot();
    }

    /** Runs one adoption pass and one GC sweep now. */
    @POST
    public HttpResponse doGc() throws AbortException {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        StickyIpConfiguration config = StickyIpConfiguration.get();
        StickyIpMaintenance.run(config.getCluster(), config.validatedPools(), Progress.silent());
        return HttpResponses.redirectToDot();
    }
}
