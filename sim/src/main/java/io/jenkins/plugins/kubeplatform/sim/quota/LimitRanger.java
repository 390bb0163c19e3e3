package io.jenkins.plugins.kubeplatform.sim.quota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The LimitRanger admission plugin on pod creates (k8s.io/kubernetes plugin/pkg/admission/limitranger/admission.go):
 * {@link #mutate} sets the {@code Container} items' {@code default} limits and {@code defaultRequest} requests on the
 * containers and init containers that lack them ({@code PodMutateLimitFunc}), {@link #validate} holds each container,
 * and for {@code Pod} items the pod's sums, to {@code min}, {@code max} and {@code maxLimitRequestRatio}
 * ({@code PodValidateLimitFunc}); {@link #defaults} is the LimitRange's own defaulting
 * ({@code SetDefaults_LimitRangeItem}). Resource names within an item are taken in name order (Go's map order is
 * random).
 */
public final class LimitRanger {

    /** The annotation naming what the plugin set. */
    public static final String ANNOTATION = "kubernetes.io/limit-ranger";

    private LimitRanger() {
    }

    /**
     * {@code SetDefaults_LimitRangeItem} on every item of a LimitRange's spec: for a Container item, a missing default
     * limit is the max, a missing default request the default limit, else the min.
     */
    public static void defaults(ObjectNode limitRange) {
        for (JsonNode item : limitRange.path("spec").path("limits")) {
            if (!(item instanceof ObjectNode o) || !o.path("type").asText("").equals("Container")) {
                continue;
            }
            ObjectNode defaultLimits = o.with("default");
            ObjectNode defaultRequests = o.with("defaultRequest");
            o.path("max").fields().forEachRemaining(e -> {
                if (!defaultLimits.has(e.getKey())) {
                    defaultLimits.set(e.getKey(), e.getValue().deepCopy());
                }
            });
            defaultLimits.fields().forEachRemaining(e -> {
                if (!defaultRequests.has(e.getKey())) {
                    defaultRequests.set(e.getKey(), e.getValue().deepCopy());
                }
            });
            o.path("min").fields().forEachRemaining(e -> {
                if (!defaultRequests.has(e.getKey())) {
                    defaultRequests.set(e.getKey(), e.getValue().deepCopy());
                }
            });
        }
    }

    /**
     * Sets each range's defaults on {@code pod} as it comes in (before the server's own defaults, which it mirrors
     * here: a request missing where the container sets the limit is the limit, as the pod's decoding already made
     * it). The annotation lists what the last range with something to set has set.
     */
    public static void mutate(ObjectNode pod, List<JsonNode> limitRanges) {
        for (JsonNode range : limitRanges) {
            TreeMap<String, JsonNode> requests = new TreeMap<>();
            TreeMap<String, JsonNode> limits = new TreeMap<>();
            for (JsonNode item : range.path("spec").path("limits")) {
                if (item.path("type").asText("").equals("Container")) {
                    item.path("defaultRequest").fields().forEachRemaining(e -> requests.put(e.getKey(), e.getValue()));
                    item.path("default").fields().forEachRemaining(e -> limits.put(e.getKey(), e.getValue()));
                }
            }
            List<String> annotations = new ArrayList<>();
            ObjectNode spec = pod.with("spec");
            for (JsonNode c : spec.path("containers")) {
                merge((ObjectNode) c, requests, limits, "container", annotations);
            }
            for (JsonNode c : spec.path("initContainers")) {
                merge((ObjectNode) c, requests, limits, "init container", annotations);
            }
            if (!annotations.isEmpty()) {
                pod.with("metadata").with("annotations").put(ANNOTATION, "LimitRanger plugin set: "
                        + String.join("; ", annotations));
            }
        }
    }

    /** {@code mergeContainerResources}. */
    private static void merge(ObjectNode container, Map<String, JsonNode> requests, Map<String, JsonNode> limits,
            String prefix, List<String> annotations) {
        ObjectNode resources = container.with("resources");
        ObjectNode ownLimits = resources.with("limits");
        ObjectNode ownRequests = resources.with("requests");
        List<String> setRequests = new ArrayList<>();
        List<String> setLimits = new ArrayList<>();
        limits.forEach((k, v) -> {
            if (!ownLimits.has(k)) {
                ownLimits.put(k, canonical(v));
                setLimits.add(k);
            }
        });
        requests.forEach((k, v) -> {
            // a request the container leaves out but limits is defaulted to that limit before admission
            if (!ownRequests.has(k) && !(ownLimits.has(k) && !setLimits.contains(k))) {
                ownRequests.put(k, canonical(v));
                setRequests.add(k);
            }
        });
        String name = container.path("name").asText("");
        if (!setRequests.isEmpty()) {
            annotations.add(String.join(", ", setRequests) + " request for " + prefix + " " + name);
        }
        if (!setLimits.isEmpty()) {
            annotations.add(String.join(", ", setLimits) + " limit for " + prefix + " " + name);
        }
        if (ownRequests.isEmpty()) {
            resources.remove("requests");
        }
        if (ownLimits.isEmpty()) {
            resources.remove("limits");
        }
        if (resources.isEmpty()) {
            container.remove("resources");
        }
    }

    private static String canonical(JsonNode quantity) {
        return KubeQuantity.parse(quantity.asText()).map(KubeQuantity::toString).orElse(quantity.asText());
    }

    /**
     * The first range the pod (with its defaults) breaks, as the plugin's aggregated error words it: one violation
     * alone, several in brackets joined by commas.
     */
    public static Optional<String> validate(JsonNode pod, List<JsonNode> limitRanges) {
        for (JsonNode range : limitRanges) {
            List<String> errors = new ArrayList<>();
            for (JsonNode item : range.path("spec").path("limits")) {
                String type = item.path("type").asText("");
                if (type.equals("Container")) {
                    List<JsonNode> containers = new ArrayList<>();
                    pod.path("spec").path("containers").forEach(containers::add);
                    pod.path("spec").path("initContainers").forEach(containers::add);
                    for (JsonNode c : containers) {
                        check(type, item, ResourceLists.of(c.path("resources").path("requests")),
                                ResourceLists.of(c.path("resources").path("limits")), errors);
                    }
                } else if (type.equals("Pod")) {
                    check(type, item, PodResources.requests(pod), PodResources.limits(pod), errors);
                }
            }
            if (!errors.isEmpty()) {
                List<String> distinct = new ArrayList<>(new LinkedHashSet<>(errors));
                return Optional.of(distinct.size() == 1 ? distinct.get(0)
                        : "[" + String.join(", ", distinct) + "]");
            }
        }
        return Optional.empty();
    }

    private static void check(String type, JsonNode item, Map<String, KubeQuantity> requests,
            Map<String, KubeQuantity> limits, List<String> errors) {
        ResourceLists.of(item.path("min")).forEach((k, v) -> min(type, k, v, requests, limits).ifPresent(errors::add));
        ResourceLists.of(item.path("max")).forEach((k, v) -> max(type, k, v, requests, limits).ifPresent(errors::add));
        ResourceLists.of(item.path("maxLimitRequestRatio")).forEach((k, v) -> ratio(type, k, v, requests, limits)
                .ifPresent(errors::add));
    }

    /** {@code requestLimitEnforcedValues}: thousandths when all three fit, else whole units. */
    private static BigInteger[] values(KubeQuantity request, KubeQuantity limit, KubeQuantity enforced) {
        boolean milli = KubeQuantity.fitsMilli(request, limit, enforced);
        return new BigInteger[] {
            milli ? request.milliValue() : request.wholeValue(),
            milli ? limit.milliValue() : limit.wholeValue(),
            milli ? enforced.milliValue() : enforced.wholeValue()};
    }

    private static Optional<String> min(String type, String name, KubeQuantity enforced,
            Map<String, KubeQuantity> requests, Map<String, KubeQuantity> limits) {
        KubeQuantity req = requests.getOrDefault(name, KubeQuantity.ZERO);
        KubeQuantity lim = limits.getOrDefault(name, KubeQuantity.ZERO);
        BigInteger[] v = values(req, lim, enforced);
        if (!requests.containsKey(name)) {
            return Optional.of("minimum " + name + " usage per " + type + " is " + enforced
                    + ".  No request is specified");
        }
        if (v[0].compareTo(v[2]) < 0) {
            return Optional.of("minimum " + name + " usage per " + type + " is " + enforced + ", but request is "
                    + req);
        }
        if (limits.containsKey(name) && v[1].compareTo(v[2]) < 0) {
            return Optional.of("minimum " + name + " usage per " + type + " is " + enforced + ", but limit is "
                    + lim);
        }
        return Optional.empty();
    }

    private static Optional<String> max(String type, String name, KubeQuantity enforced,
            Map<String, KubeQuantity> requests, Map<String, KubeQuantity> limits) {
        KubeQuantity req = requests.getOrDefault(name, KubeQuantity.ZERO);
        KubeQuantity lim = limits.getOrDefault(name, KubeQuantity.ZERO);
        BigInteger[] v = values(req, lim, enforced);
        if (!limits.containsKey(name)) {
            return Optional.of("maximum " + name + " usage per " + type + " is " + enforced
                    + ".  No limit is specified");
        }
        if (v[1].compareTo(v[2]) > 0) {
            return Optional.of("maximum " + name + " usage per " + type + " is " + enforced + ", but limit is "
                    + lim);
        }
        if (requests.containsKey(name) && v[0].compareTo(v[2]) > 0) {
            return Optional.of("maximum " + name + " usage per " + type + " is " + enforced + ", but request is "
                    + req);
        }
        return Optional.empty();
    }

    private static Optional<String> ratio(String type, String name, KubeQuantity enforced,
            Map<String, KubeQuantity> requests, Map<String, KubeQuantity> limits) {
        KubeQuantity req = requests.getOrDefault(name, KubeQuantity.ZERO);
        KubeQuantity lim = limits.getOrDefault(name, KubeQuantity.ZERO);
        BigInteger[] v = values(req, lim, enforced);
        String head = name + " max limit to request ratio per " + type + " is " + enforced;
        if (!requests.containsKey(name) || v[0].signum() == 0) {
            return Optional.of(head + ", but no request is specified or request is 0");
        }
        if (!limits.containsKey(name) || v[1].signum() == 0) {
            return Optional.of(head + ", but no limit is specified or limit is 0");
        }
        double observed = v[1].doubleValue() / v[0].doubleValue();
        double allowed = enforced.wholeValue().doubleValue();
        double compared = observed;
        if (enforced.wholeValue().compareTo(BigInteger.valueOf(Long.MAX_VALUE / 1000)) <= 0) {
            compared = observed * 1000;
            allowed = enforced.milliValue().doubleValue();
        }
        if (compared > allowed) {
            return Optional.of(head + ", but provided ratio is " + String.format(Locale.ROOT, "%f", observed));
        }
        return Optional.empty();
    }
}
