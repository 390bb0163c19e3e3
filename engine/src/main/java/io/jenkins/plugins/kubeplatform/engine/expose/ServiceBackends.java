package io.jenkins.plugins.kubeplatform.engine.expose;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Where the platform's nginx sends a Service's traffic (EXP-10): the ready addresses of the Service's EndpointSlices
 * ({@code discovery.k8s.io/v1}, label {@code kubernetes.io/service-name}) with the target port of the Service port,
 * so an nginx outside the cluster balances over the app's pods. The cluster IP is used only when configured and the
 * Service has no EndpointSlice at all (a Service without selector, or nginx inside the cluster by choice).
 */
public final class ServiceBackends {

    /** The label the EndpointSlice controller puts on a Service's slices. */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private ServiceBackends() {
    }

    /** One list request: the slices of one Service. */
    static List<EndpointSlice> slicesOf(KubernetesClient client, ApiRetry retry, String namespace, String service) {
        return retry.call("list EndpointSlices of Service " + namespace + "/" + service, () -> client.discovery().v1()
                .endpointSlices().inNamespace(namespace).withLabel(SERVICE_NAME_LABEL, service).list().getItems());
    }

    /**
     * The {@code server} addresses for {@code port} of {@code service}.
     *
     * @param slices   EndpointSlices (any; those of other Services are ignored)
     * @param fallback use the cluster IP when the Service has no slice
     * @return sorted {@code address:port} values; empty when nothing is ready (nginx then answers 503)
     */
    public static List<String> servers(Service service, int port, Collection<EndpointSlice> slices, boolean fallback) {
        String ns = service.getMetadata().getNamespace();
        String name = service.getMetadata().getName();
        Optional<ServicePort> servicePort = service.getSpec() == null || service.getSpec().getPorts() == null
                ? Optional.empty()
                : service.getSpec().getPorts().stream().filter(p -> Objects.equals(p.getPort(), port)).findFirst();
        List<EndpointSlice> own = slices.stream().filter(s -> ns.equals(s.getMetadata().getNamespace())
                && name.equals(labels(s).get(SERVICE_NAME_LABEL))).toList();
        if (own.isEmpty()) {
            return fallback ? clusterIp(service, port).map(List::of).orElse(List.of()) : List.of();
        }
        if (servicePort.isEmpty()) {
            return List.of();
        }
        String portName = servicePort.get().getName() == null ? "" : servicePort.get().getName();
        TreeSet<String> servers = new TreeSet<>();
        for (EndpointSlice slice : own) {
            boolean ipv6 = "IPv6".equals(slice.getAddressType());
            if (!ipv6 && !"IPv4".equals(slice.getAddressType())) {
                continue; // FQDN slices name hosts, not addresses
            }
            Optional<Integer> target = list(slice.getPorts()).stream()
                    .filter(p -> portName.equals(p.getName() == null ? "" : p.getName()))
                    .map(EndpointPort::getPort).filter(Objects::nonNull).findFirst();
            if (target.isEmpty()) {
                continue;
            }
            for (Endpoint e : list(slice.getEndpoints())) {
                // a nil ready condition means "unknown", which consumers treat as ready (discovery.k8s.io/v1)
                boolean ready = e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady());
                if (ready && e.getAddresses() != null && !e.getAddresses().isEmpty()) {
                    String address = e.getAddresses().get(0);
                    servers.add((ipv6 ? "[" + address + "]" : address) + ":" + target.get());
                }
            }
        }
        return new ArrayList<>(servers);
    }

    /** The Service's cluster IP and port (the cluster DNS name for a headless Service). */
    public static Optional<String> clusterIp(Service service, int port) {
        String ip = service.getSpec() == null ? null : service.getSpec().getClusterIP();
        if (ip == null || ip.isBlank()) {
            return Optional.empty();
        }
        String address = "None".equals(ip)
                ? service.getMetadata().getName() + "." + service.getMetadata().getNamespace() + ".svc.cluster.local"
                : ip.contains(":") ? "[" + ip + "]" : ip;
        return Optional.of(address + ":" + port);
    }

    private static Map<String, String> labels(EndpointSlice s) {
        return s.getMetadata().getLabels() == null ? Map.of() : s.getMetadata().getLabels();
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
