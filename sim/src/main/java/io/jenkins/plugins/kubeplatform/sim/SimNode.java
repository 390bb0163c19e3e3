package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One node of the simulated cluster: name, labels, annotations, allocatable cpu/memory and taints. */
public record SimNode(String name, Map<String, String> labels, Map<String, String> annotations, String cpu,
        String memory, List<Taint> taints) {

    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    public static final String REGION_LABEL = "topology.kubernetes.io/region";
    public static final String LATITUDE_ANNOTATION = "kubeplatform.jenkins.io/latitude";
    public static final String LONGITUDE_ANNOTATION = "kubeplatform.jenkins.io/longitude";

    public SimNode {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        taints = List.copyOf(taints);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a {@link SimNode}; defaults: 4 cpu, 8Gi memory, no taints, hostname label. */
    public static final class Builder {
        private final String name;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final Map<String, String> annotations = new LinkedHashMap<>();
        private String cpu = "4";
        private String memory = "8Gi";
        private final List<Taint> taints = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
            labels.put("kubernetes.io/hostname", name);
            labels.put("kubernetes.io/os", "linux");
            labels.put("kubernetes.io/arch", "amd64");
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Builder annotation(String key, String value) {
            annotations.put(key, value);
            return this;
        }

        /** Zone and region labels ({@code topology.kubernetes.io/zone|region}). */
        public Builder zone(String region, String zone) {
            labels.put(REGION_LABEL, region);
            labels.put(ZONE_LABEL, zone);
            return this;
        }

        /** Coordinates as annotations {@code kubeplatform.jenkins.io/latitude|longitude}. */
        public Builder coordinates(double latitude, double longitude) {
            annotations.put(LATITUDE_ANNOTATION, Double.toString(latitude));
            annotations.put(LONGITUDE_ANNOTATION, Double.toString(longitude));
            return this;
        }

        /** Allocatable cpu as a Kubernetes quantity, e.g. {@code "4"} or {@code "3500m"}. */
        public Builder cpu(String cpu) {
            this.cpu = cpu;
            return this;
        }

        /** Allocatable memory as a Kubernetes quantity, e.g. {@code "8Gi"}. */
        public Builder memory(String memory) {
            this.memory = memory;
            return this;
        }

        public Builder taint(Taint taint) {
            taints.add(taint);
            return this;
        }

        public Builder taint(String key, String value, String effect) {
            taints.add(new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build());
            return this;
        }

        public SimNode build() {
            return new SimNode(name, labels, annotations, cpu, memory, taints);
        }
    }
}
