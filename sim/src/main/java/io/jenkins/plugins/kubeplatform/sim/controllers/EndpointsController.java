package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.jenkins.plugins.kubeplatform.sim.model.Workloads;
import io.jenkins.plugins.kubeplatform.sim.model.Cidr;
import io.jenkins.plugins.kubeplatform.sim.model.Selectors;
import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.jenkins.plugins.kubeplatform.sim.ChangeHandler;
import io.jenkins.plugins.kubeplatform.sim.Observed;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import io.jenkins.plugins.kubeplatform.sim.SimNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Services (the API server itself gives them a cluster IP on create): a load-balancer address from 172.18.255.0/24 for type LoadBalancer, and for services with a selector the Endpoints
 * object and one EndpointSlice ({@code <service>-sim}) listing the selected pods that have an IP: ready pods as
 * ready addresses, the others as not ready (or ready if {@code publishNotReadyAddresses}). A terminating pod is left
 * out of Endpoints and kept in the slice with {@code ready=false, serving=<its readiness>, terminating=true}, as the
 * real controllers do (k8s.io/endpointslice {@code ShouldPodBeInEndpoints} and {@code podToEndpoint}). Named target
 * ports are resolved per pod from its container ports.
 */
public final class EndpointsController implements SimController {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";

    private SimContext ctx;
    private Observed<Service> services;
    private Observed<Pod> pods;
    private Observed<Node> nodes;
    /** The controller's own objects, read from its informers as the real controllers read their listers. */
    private Observed<Endpoints> endpoints;
    private Observed<EndpointSlice> slices;
    private ReconcileQueue<Service> reconciles;
    private final Set<String> lbIps = new HashSet<>();
    /** Each pod's labels as last seen, to find the Services it stopped matching. */
    private final Map<String, Map<String, String>> lastLabels = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public String name() {
        return "endpoint-controller";
    }

    @Override
    public void start(SimContext context) {
        this.ctx = context;
        this.reconciles = new ReconcileQueue<>(ctx, (ns, name) -> services.get(ns, name), this::reconcile);
        this.nodes = ctx.observe(ctx.client().nodes(), new ChangeHandler<>() {
            @Override
            public void changed(Node node) {
            }
        });
        this.services = ctx.observe(ctx.client().services().inAnyNamespace(), new ChangeHandler<>() {
            @Override
            public void changed(Service s) {
                reconciles.add(s);
            }

            @Override
            public void deleted(Service s) {
                // as endpoints_controller.go syncService deletes the Endpoints of a Service that is gone; the
                // EndpointSlice, which the Service owns, goes with the garbage collector (endpointslice_controller.go)
                ctx.client().endpoints().inNamespace(s.getMetadata().getNamespace())
                        .withName(s.getMetadata().getName()).delete();
            }
        });
        this.endpoints = ctx.observe(ctx.client().endpoints().inAnyNamespace(), new ChangeHandler<>() {
            @Override
            public void changed(Endpoints e) {
            }

            @Override
            public void deleted(Endpoints e) {
                // onEndpointsDelete: a Service's Endpoints deleted by someone else are written again
                resync(e.getMetadata().getNamespace(), e.getMetadata().getName());
            }
        });
        this.slices = ctx.observe(ctx.client().discovery().v1().endpointSlices().inAnyNamespace(),
                new ChangeHandler<>() {
                    @Override
                    public void changed(EndpointSlice slice) {
                        ownSlice(slice);
                    }

                    @Override
                    public void deleted(EndpointSlice slice) {
                        ownSlice(slice);
                    }
                });
        this.pods = ctx.observe(ctx.client().pods().inAnyNamespace(), new ChangeHandler<>() {
            @Override
            public void changed(Pod pod) {
                affected(pod);
            }

            @Override
            public void deleted(Pod pod) {
                affected(pod);
                lastLabels.remove(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
            }
        });
    }

    /**
     * A change of a slice this controller manages brings its Service back (as the slice tracker does for a slice
     * changed or deleted by someone else); the pass writes only if the slice differs from what it should be.
     */
    private void ownSlice(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        if (labels != null && "endpointslice-controller.k8s.io".equals(labels.get(MANAGED_BY))
                && labels.get(SERVICE_NAME_LABEL) != null) {
            resync(slice.getMetadata().getNamespace(), labels.get(SERVICE_NAME_LABEL));
        }
    }

    private void resync(String namespace, String service) {
        services.get(namespace, service).ifPresent(reconciles::add);
    }

    /**
     * Services selecting the pod by its labels before or after the change: like the real controller, a pod whose
     * label no longer matches (repairNode removing the traffic label) leaves the endpoints of the Services it left.
     */
    private void affected(Pod pod) {
        String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        Map<String, String> now = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        Map<String, String> before = lastLabels.put(key, Map.copyOf(now));
        for (Service s : services.inNamespace(pod.getMetadata().getNamespace())) {
            if (Selectors.matches(s.getSpec().getSelector(), now)
                    || before != null && Selectors.matches(s.getSpec().getSelector(), before)) {
                reconciles.add(s);
            }
        }
    }


    private void reconcile(Service s) {
        s = allocate(s);
        Map<String, String> selector = s.getSpec().getSelector();
        if (selector == null || selector.isEmpty() || "ExternalName".equals(s.getSpec().getType())) {
            return;
        }
        String ns = s.getMetadata().getNamespace();
        List<Pod> selected = new ArrayList<>(pods.list(p -> ns.equals(p.getMetadata().getNamespace())
                && Selectors.matches(selector, p.getMetadata().getLabels()) && p.getStatus() != null
                && p.getStatus().getPodIP() != null && !PodStates.isFinished(p)));
        selected.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        boolean publishAll = Boolean.TRUE.equals(s.getSpec().getPublishNotReadyAddresses());
        writeEndpoints(s, selected, publishAll);
        writeSlice(s, selected, publishAll);
    }

    /** A load-balancer address for type LoadBalancer, as a cloud or MetalLB controller would assign. */
    private Service allocate(Service s) {
        if (!needsLoadBalancer(s)) {
            return s;
        }
        String lbIp = free(lbIps, 0xAC12FF01L, 0xAC12FFFEL);
        Service svc = s;
        // decided again on the service written: after a conflict a newer one may no longer be a LoadBalancer, or
        // already have its address
        Optional<Service> written = Writes.updateStatus(ctx.client(), s, x -> {
            if (!needsLoadBalancer(x)) {
                return false;
            }
            x.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder().withNewLoadBalancer()
                    .addNewIngress().withIp(lbIp).withIpMode("VIP").endIngress().endLoadBalancer().build());
            return true;
        });
        if (written.isEmpty()) {
            lbIps.remove(lbIp);
        }
        return written.map(x -> {
            services.put(x);
            return x;
        }).orElse(svc);
    }

    private static boolean needsLoadBalancer(Service s) {
        return "LoadBalancer".equals(s.getSpec().getType()) && (s.getStatus() == null
                || s.getStatus().getLoadBalancer() == null || s.getStatus().getLoadBalancer().getIngress() == null
                || s.getStatus().getLoadBalancer().getIngress().isEmpty());
    }

    private static String free(Set<String> used, long from, long to) {
        for (long ip = from; ip <= to; ip++) {
            String s = Cidr.toString(ip);
            if (used.add(s)) {
                return s;
            }
        }
        throw new IllegalStateException("address range exhausted");
    }

    private static Integer portFor(ServicePort sp, Pod pod) {
        IntOrString target = sp.getTargetPort();
        if (target == null) {
            return sp.getPort();
        }
        if (target.getIntVal() != null) {
            return target.getIntVal();
        }
        for (var c : pod.getSpec().getContainers()) {
            if (c.getPorts() != null) {
                for (ContainerPort cp : c.getPorts()) {
                    if (target.getStrVal().equals(cp.getName())) {
                        return cp.getContainerPort();
                    }
                }
            }
        }
        return null;
    }

    private void writeEndpoints(Service s, List<Pod> selected, boolean publishAll) {
        List<EndpointSubset> subsets = new ArrayList<>();
        // One subset per distinct port mapping, as the endpoints controller groups them.
        Map<List<EndpointPort>, EndpointSubsetBuilder> groups = new LinkedHashMap<>();
        for (Pod p : selected) {
            if (PodStates.isTerminating(p) && !publishAll) {
                continue; // ShouldPodBeInEndpoints(pod, includeTerminating = publishNotReadyAddresses)
            }
            List<EndpointPort> ports = new ArrayList<>();
            boolean complete = true;
            for (ServicePort sp : list(s.getSpec().getPorts())) {
                Integer port = portFor(sp, p);
                if (port == null) {
                    complete = false;
                    break;
                }
                ports.add(new EndpointPortBuilder().withName(sp.getName()).withPort(port)
                        .withProtocol(sp.getProtocol() == null ? "TCP" : sp.getProtocol()).build());
            }
            if (!complete) {
                continue;
            }
            EndpointAddress address = new EndpointAddressBuilder().withIp(p.getStatus().getPodIP())
                    .withNodeName(p.getSpec().getNodeName())
                    .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withNamespace(p.getMetadata().getNamespace())
                            .withName(p.getMetadata().getName()).withUid(p.getMetadata().getUid()).build())
                    .build();
            EndpointSubsetBuilder b = groups.computeIfAbsent(ports, k -> new EndpointSubsetBuilder().withPorts(k));
            if (publishAll || (PodStates.isReady(p) && !PodStates.isTerminating(p))) {
                b.addToAddresses(address);
            } else {
                b.addToNotReadyAddresses(address);
            }
        }
        groups.values().forEach(b -> subsets.add(b.build()));
        String ns = s.getMetadata().getNamespace();
        Endpoints desired = new EndpointsBuilder().withNewMetadata().withName(s.getMetadata().getName())
                .withNamespace(ns).withLabels(s.getMetadata().getLabels()).endMetadata().withSubsets(subsets).build();
        Endpoints current = endpoints.get(ns, s.getMetadata().getName()).orElse(null);
        if (current == null) {
            Optional<Endpoints> created = create(() -> ctx.client().endpoints().inNamespace(ns).resource(desired)
                    .create());
            if (created.isPresent()) {
                endpoints.put(created.get());
                return;
            }
            // the informer had not seen it yet: decide on the server's copy
            current = ctx.client().endpoints().inNamespace(ns).withName(s.getMetadata().getName()).get();
        }
        if (current != null && !Objects.equals(normalize(current.getSubsets()), normalize(subsets))) {
            Writes.update(ctx.client(), current, e -> {
                e.setSubsets(subsets);
                return true;
            }).ifPresent(endpoints::put);
        }
    }

    private static List<EndpointSubset> normalize(List<EndpointSubset> subsets) {
        List<EndpointSubset> out = new ArrayList<>();
        for (EndpointSubset s : list(subsets)) {
            out.add(new EndpointSubsetBuilder(s).withAddresses(list(s.getAddresses()))
                    .withNotReadyAddresses(list(s.getNotReadyAddresses())).withPorts(list(s.getPorts())).build());
        }
        return out;
    }

    private void writeSlice(Service s, List<Pod> selected, boolean publishAll) {
        String ns = s.getMetadata().getNamespace();
        String name = s.getMetadata().getName() + "-sim";
        List<Endpoint> members = new ArrayList<>();
        List<io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort> ports = new ArrayList<>();
        boolean portsSet = false;
        for (Pod p : selected) {
            if (!portsSet) {
                for (ServicePort sp : list(s.getSpec().getPorts())) {
                    Integer port = portFor(sp, p);
                    ports.add(new io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder()
                            .withName(sp.getName() == null ? "" : sp.getName()).withPort(port)
                            .withProtocol(sp.getProtocol() == null ? "TCP" : sp.getProtocol()).build());
                }
                portsSet = true;
            }
            boolean terminating = PodStates.isTerminating(p);
            boolean ready = PodStates.isReady(p) && !terminating;
            String zone = nodes.get(null, p.getSpec().getNodeName() == null ? "" : p.getSpec().getNodeName())
                    .map(n -> n.getMetadata().getLabels() == null ? null : n.getMetadata().getLabels()
                            .get(SimNode.ZONE_LABEL)).orElse(null);
            members.add(new EndpointBuilder().withAddresses(p.getStatus().getPodIP())
                    .withNewConditions().withReady(publishAll || ready).withServing(PodStates.isReady(p))
                    .withTerminating(terminating).endConditions()
                    .withNodeName(p.getSpec().getNodeName()).withZone(zone)
                    .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withNamespace(ns)
                            .withName(p.getMetadata().getName()).withUid(p.getMetadata().getUid()).build())
                    .build());
        }
        var api = ctx.client().discovery().v1().endpointSlices().inNamespace(ns);
        EndpointSlice current = slices.get(ns, name).orElse(null);
        if (current == null) {
            EndpointSlice slice = new EndpointSliceBuilder().withNewMetadata().withName(name).withNamespace(ns)
                    .addToLabels(SERVICE_NAME_LABEL, s.getMetadata().getName())
                    .addToLabels(MANAGED_BY, "endpointslice-controller.k8s.io")
                    .withOwnerReferences(Workloads.controllerRef(s)).endMetadata()
                    .withAddressType("IPv4").withEndpoints(members).withPorts(ports).build();
            Optional<EndpointSlice> created = create(() -> api.resource(slice).create());
            if (created.isPresent()) {
                slices.put(created.get());
                return;
            }
            current = api.withName(name).get(); // the informer had not seen it yet
        }
        if (current != null && (!Objects.equals(list(current.getEndpoints()), members)
                || !Objects.equals(list(current.getPorts()), ports))) {
            Writes.update(ctx.client(), current, e -> {
                e.setEndpoints(members);
                e.setPorts(ports);
                return true;
            }).ifPresent(slices::put);
        }
    }

    /** A create; empty when the object exists already (409 AlreadyExists). */
    private static <T> Optional<T> create(java.util.function.Supplier<T> create) {
        try {
            return Optional.of(create.get());
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() == 409) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
