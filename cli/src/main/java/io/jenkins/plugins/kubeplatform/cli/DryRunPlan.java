package io.jenkins.plugins.kubeplatform.cli;

import io.jenkins.plugins.kubeplatform.engine.core.ChangePlan;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Prints an engine's {@link ChangePlan} for {@code --dry-run}: one table (cluster writes, then local state changes)
 * and the notes, or one JSON/YAML document {@code dryRun}, the command's own fields, {@code objects}, {@code state},
 * {@code notes}.
 */
public final class DryRunPlan {

    private DryRunPlan() {
    }

    /**
     * @param subject the command's identifying fields (e.g. namespace and app), first in the document
     * @param what    what was planned, for the closing text line (e.g. "expose shop/web")
     */
    public static int print(CliContext context, DryRunOption.Mode mode, Map<String, Object> subject, String what,
                            ChangePlan plan) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("dryRun", mode.name().toLowerCase(Locale.ROOT));
        doc.putAll(subject);
        doc.putAll(plan.toMap());
        Table table = Table.of("ACTION", "KIND", "NAMESPACE", "NAME", "DETAIL").wide("CLUSTER");
        plan.objects().forEach(o -> table.row(o.action(), o.kind(), o.namespace() == null ? "-" : o.namespace(),
                o.name(), o.detail(), o.cluster().isEmpty() ? "-" : o.cluster()));
        plan.state().forEach(s -> table.row(s.change(), s.store(), "-", s.key(), s.detail(), "-"));
        String suffix = mode == DryRunOption.Mode.SERVER ? " (server dry run: accepted, nothing stored)"
                : " (client dry run: nothing was sent or written)";
        context.result(doc, out -> {
            table.print(out, context.output() == OutputFormat.WIDE, !context.noHeaders());
            plan.notes().forEach(n -> out.println("- " + n));
            out.println(what + suffix);
        });
        return ExitCodes.OK;
    }
}
