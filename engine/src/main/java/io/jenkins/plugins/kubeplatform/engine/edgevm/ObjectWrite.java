package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.jenkins.plugins.kubeplatform.engine.core.ChangePlan;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A cluster write decided before it is made: what a plan shows, what the run reports, and how to send it. The run,
 * the plan and the server dry run execute the same list.
 */
record ObjectWrite(ChangePlan.ObjectChange change, String done, Send send) {

    /** Sends one write, with {@code dryRun=All} when asked. */
    @FunctionalInterface
    interface Send {
        void send(boolean dryRun);
    }

    /** A write shown in plans that sends nothing (an unchanged object, an eviction a drain makes). */
    static ObjectWrite shown(ChangePlan.ObjectChange change) {
        return new ObjectWrite(change, "", dryRun -> { });
    }

    /** Sends the write unless it changes nothing; reports it when it is real. */
    void apply(boolean dryRun, Progress progress) {
        if (!change.writes()) {
            return;
        }
        send.send(dryRun);
        if (!dryRun) {
            progress.step(done);
        }
    }

    static ChangePlan.ObjectChange change(String action, String cluster, HasMetadata object, String detail) {
        return new ChangePlan.ObjectChange(action, object.getKind(), cluster == null ? "" : cluster,
                object.getMetadata().getNamespace(), object.getMetadata().getName(), detail, Optional.of(object));
    }

    /** The Secret as a plan shows it: the join token never reaches output. */
    static Secret redacted(Secret secret) {
        Secret copy = new SecretBuilder(secret).build();
        Map<String, String> data = new TreeMap<>();
        (secret.getData() == null ? Map.<String, String>of() : secret.getData()).keySet()
                .forEach(k -> data.put(k, "(redacted)"));
        copy.setData(data);
        copy.setStringData(null);
        return copy;
    }
}
