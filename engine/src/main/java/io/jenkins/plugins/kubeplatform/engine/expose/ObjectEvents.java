package io.jenkins.plugins.kubeplatform.engine.expose;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;

/**
 * Kubernetes Events on the objects the sync acts on ({@code kubectl describe ingress} shows them). One Event per
 * object, reason and message (a stable name), its count raised when it happens again; best effort, as in
 * Kubernetes: a lost Event never stops the sync.
 */
final class ObjectEvents {

    static final String COMPONENT = "kubeplatform-expose-sync";

    private final KubernetesClient client;
    private final Clock clock;
    private final io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry retry;

    ObjectEvents(KubernetesClient client, Clock clock, io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry retry) {
        this.client = client;
        this.clock = clock;
        this.retry = retry;
    }

    void warning(HasMetadata involved, String reason, String message) {
        record(involved, "Warning", reason, message);
    }

    void normal(HasMetadata involved, String reason, String message) {
        record(involved, "Normal", reason, message);
    }

    private void record(HasMetadata involved, String type, String reason, String message) {
        String ns = involved.getMetadata().getNamespace();
        String name = involved.getMetadata().getName() + "." + DnsNames.hash(reason + "\n" + message);
        String now = clock.instant().toString();
        var events = client.v1().events().inNamespace(ns);
        try {
            Event existing = retry.call("read Event " + ns + "/" + name, () -> events.withName(name).get());
            if (existing != null) {
                existing.setCount(existing.getCount() == null ? 2 : existing.getCount() + 1);
                existing.setLastTimestamp(now);
                retry.call("update Event " + ns + "/" + name, () -> events.resource(existing).update());
                return;
            }
            Event created = new EventBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withKind(involved.getKind())
                            .withApiVersion(involved.getApiVersion()).withName(involved.getMetadata().getName())
                            .withNamespace(ns).withUid(involved.getMetadata().getUid()).build())
                    .withType(type).withReason(reason).withMessage(message).withCount(1)
                    .withFirstTimestamp(now).withLastTimestamp(now)
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .withReportingComponent(COMPONENT)
                    .build();
            retry.call("record Event " + ns + "/" + name, () -> events.resource(created).create());
        } catch (KubernetesClientException | io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException e) {
            // best effort, as Kubernetes treats Events
        }
    }
}
