package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records core/v1 Events the way Kubernetes components do: a repeated (object, reason, message) bumps the count of
 * the existing Event instead of creating a new one. The involved object is referenced as client-go's
 * {@code reference.GetReference} does (kind, apiVersion, name, namespace, uid, resourceVersion), and the component is
 * both {@code source.component} and {@code reportingComponent}, as the legacy event recorder writes them.
 */
public final class SimEvents {

    private final KubernetesClient client;
    private final Clock clock;
    private final String component;
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    SimEvents(KubernetesClient client, Clock clock, String component) {
        this.client = client;
        this.clock = clock;
        this.component = component;
    }

    public void normal(HasMetadata involved, String reason, String message) {
        record(involved, "Normal", reason, message);
    }

    public void warning(HasMetadata involved, String reason, String message) {
        record(involved, "Warning", reason, message);
    }

    private void record(HasMetadata involved, String type, String reason, String message) {
        String ns = involved.getMetadata().getNamespace() == null ? "default" : involved.getMetadata().getNamespace();
        String key = ns + "/" + involved.getKind() + "/" + involved.getMetadata().getName() + "/" + reason + "/"
                + message;
        String now = clock.instant().toString();
        try {
            String existing = seen.get(key);
            if (existing != null) {
                Event e = client.v1().events().inNamespace(ns).withName(existing).get();
                if (e != null) {
                    e.setCount(e.getCount() == null ? 2 : e.getCount() + 1);
                    e.setLastTimestamp(now);
                    client.v1().events().inNamespace(ns).resource(e).update();
                    return;
                }
            }
            String name = involved.getMetadata().getName() + "." + Long.toHexString(System.nanoTime());
            Event event = new EventBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withKind(involved.getKind())
                            .withApiVersion(involved.getApiVersion()).withName(involved.getMetadata().getName())
                            .withNamespace(involved.getMetadata().getNamespace())
                            .withUid(involved.getMetadata().getUid())
                            .withResourceVersion(involved.getMetadata().getResourceVersion()).build())
                    .withType(type).withReason(reason).withMessage(message).withCount(1)
                    .withFirstTimestamp(now).withLastTimestamp(now)
                    .withNewSource().withComponent(component).endSource()
                    .withReportingComponent(component)
                    .build();
            client.v1().events().inNamespace(ns).resource(event).create();
            seen.put(key, name);
        } catch (KubernetesClientException e) {
            // Events are best effort in Kubernetes too; a lost event must not stop the controller.
        }
    }
}
