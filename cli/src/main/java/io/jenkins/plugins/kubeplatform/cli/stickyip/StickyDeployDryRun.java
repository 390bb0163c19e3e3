package io.jenkins.plugins.kubeplatform.cli.stickyip;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.cli.DryRunOption;
import io.jenkins.plugins.kubeplatform.cli.Table;
import io.jenkins.plugins.kubeplatform.engine.image.ImageSource;
import io.jenkins.plugins.kubeplatform.engine.stickyip.BuildThenDeploy;
import io.jenkins.plugins.kubeplatform.engine.stickyip.DeployPlan;
import io.jenkins.plugins.kubeplatform.engine.stickyip.DeployRequest;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerChange;
import io.jenkins.plugins.kubeplatform.engine.stickyip.StickyIpDeployer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code sticky-deploy --dry-run}: the engine's own plan (computed by the code path of a real deploy, on a scratch
 * copy of the ledger), printed; with {@code server} its writes are also sent with {@code dryRun=All}. An image to
 * build is never built: the plan names the tag it would be pushed to and says so ("image: built from ...").
 */
final class StickyDeployDryRun {

    private StickyDeployDryRun() {
    }

    static int run(CliContext context, BuildThenDeploy deploy, DeployRequest given, ImageSource source,
                   DryRunOption.Mode mode, boolean inPlace) {
        DeployRequest request = BuildThenDeploy.planned(given, source);
        StickyIpDeployer.DryRun dryRun = deploy.dryRun(given, source);
        DeployPlan plan = dryRun.plan();
        List<Map<String, Object>> objects = objects(plan, request, inPlace);
        List<Map<String, Object>> ledger = ledger(dryRun, plan);
        if (mode == DryRunOption.Mode.SERVER) {
            // the Deployments are accepted whatever their pods look like: ask about a pod too
            deploy.checkPodAdmission(plan, context.progress());
            sendDryRun(context.client(), plan, request);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("dryRun", mode.name().toLowerCase(Locale.ROOT));
        result.put("namespace", request.namespace());
        result.put("name", request.name());
        result.put("pool", dryRun.pool());
        result.put("image", source.describe());
        result.put("objects", objects);
        result.put("ledger", ledger);
        Table table = Table.of("ACTION", "KIND", "NAMESPACE", "NAME", "DETAIL");
        objects.forEach(o -> table.row(o.get("action"), o.get("kind"), o.get("namespace"), o.get("name"),
                o.get("detail")));
        ledger.forEach(l -> table.row(l.get("change"), "IpReservation", "-", l.get("identity"), l.get("ip")));
        String suffix = mode == DryRunOption.Mode.SERVER ? " (server dry run: accepted, nothing stored)"
                : " (client dry run: nothing was sent or written)";
        context.result(result, out -> {
            table.print(out, false, !context.noHeaders());
            out.println("image: " + source.describe());
            out.println("sticky-deploy " + request.namespace() + "/" + request.name() + suffix);
        });
        return 0;
    }

    /** The plan's Kubernetes objects, one row each. */
    private static List<Map<String, Object>> objects(DeployPlan plan, DeployRequest request, boolean inPlace) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (DeployPlan.WorkloadAction w : plan.workloads()) {
            if (w instanceof DeployPlan.Create c) {
                objects.add(object("create", c.desired(), "address " + c.reservation().ip()
                        + c.pinnedNode().map(n -> ", pinned to " + n).orElse("")));
            } else if (w instanceof DeployPlan.Replace r && r.inPlace().isPresent() && inPlace) {
                objects.add(object("update in place", r.desired(), r.reason()));
            } else if (w instanceof DeployPlan.Replace r) {
                objects.add(object("replace", r.desired(), r.reason() + ", keeping " + r.reservation().ip()));
            } else {
                objects.add(object("unchanged", "Deployment", request.namespace(), w.identity().workloadName(),
                        "address " + w.reservation().ip(), null));
            }
        }
        if (plan.service() instanceof DeployPlan.CreateService c) {
            objects.add(object("create", c.desired(), ""));
        } else if (plan.service() instanceof DeployPlan.UpdateService u) {
            objects.add(object("update", u.desired(), ""));
        } else {
            objects.add(object("unchanged", "Service", request.namespace(), request.name(), "", null));
        }
        for (DeployPlan.Removal r : plan.removals()) {
            if (r.workloadExists()) {
                objects.add(object("delete", "Deployment", request.namespace(), r.identity().workloadName(),
                        "beyond --replicas", null));
            }
        }
        return objects;
    }

    /** The plan's ledger changes: reservations made, released, or kept idle. */
    private static List<Map<String, Object>> ledger(StickyIpDeployer.DryRun dryRun, DeployPlan plan) {
        List<Map<String, Object>> ledger = new ArrayList<>();
        for (LedgerChange change : dryRun.ledgerChanges()) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (change instanceof LedgerChange.Put put) {
                m.put("change", "reserve");
                m.put("identity", put.reservation().identity());
                m.put("ip", put.reservation().ip());
            } else if (change instanceof LedgerChange.Remove remove) {
                m.put("change", "release");
                m.put("identity", remove.identity());
                m.put("ip", null);
            }
            ledger.add(m);
        }
        for (DeployPlan.Removal r : plan.removals()) {
            r.reservation().ifPresent(res -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("change", r.keepReservation() ? "keep-idle" : "release");
                m.put("identity", res.identity());
                m.put("ip", res.ip());
                ledger.add(m);
            });
        }
        return ledger;
    }

    /** Sends the plan's writes with dryRun=All, in the order a deploy would; a refusal fails like a real write. */
    private static void sendDryRun(KubernetesClient client, DeployPlan plan, DeployRequest request) {
        for (DeployPlan.WorkloadAction w : plan.workloads()) {
            if (w instanceof DeployPlan.Create c) {
                client.resource(c.desired()).dryRun().create();
            } else if (w instanceof DeployPlan.Replace r) {
                client.resource(r.desired()).dryRun().update();
            }
        }
        if (plan.service() instanceof DeployPlan.CreateService c) {
            client.resource(c.desired()).dryRun().create();
        } else if (plan.service() instanceof DeployPlan.UpdateService u) {
            client.resource(u.desired()).dryRun().update();
        }
        for (DeployPlan.Removal r : plan.removals()) {
            if (r.workloadExists()) {
                client.apps().deployments().inNamespace(request.namespace()).withName(r.identity().workloadName())
                        .dryRun().delete();
            }
        }
    }

    private static Map<String, Object> object(String action, HasMetadata desired, String detail) {
        return object(action, desired.getKind(), desired.getMetadata().getNamespace(), desired.getMetadata().getName(),
                detail, desired);
    }

    private static Map<String, Object> object(String action, String kind, String namespace, String name, String detail,
            HasMetadata desired) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", action);
        m.put("kind", kind);
        m.put("namespace", namespace);
        m.put("name", name);
        m.put("detail", detail);
        if (desired != null) {
            m.put("object", desired);
        }
        return m;
    }
}
