package io.jenkins.plugins.kubeplatform.engine.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether new pods fit a namespace's ResourceQuotas as they stand now: for every quota whose scopes match a pod, the
 * pods' usage of each resource the quota limits must fit between {@code status.used} and {@code status.hard}, the
 * values quota admission compares ({@code CheckRequest}, k8s.io/apiserver pkg/admission/plugin/resourcequota/
 * controller.go). A quota the quota controller has not filled in yet is not enforced by admission and not here.
 */
public final class QuotaFit {

    private QuotaFit() {
    }

    /**
     * One resource of one quota the new pods do not fit: its hard limit, what is used, and what the pods need in all.
     *
     * @param quota {@code namespace/name}
     */
    public record Shortfall(String quota, String resource, BigDecimal hard, BigDecimal used, BigDecimal needed) {

        /** What is left of the limit (negative when the quota was lowered below its usage). */
        public BigDecimal room() {
            return hard.subtract(used);
        }

        /** How many pods that each use {@code each} of the resource fit in {@link #room()}. */
        public int fitting(BigDecimal each) {
            return room().max(BigDecimal.ZERO).divide(each, 0, RoundingMode.FLOOR).intValueExact();
        }
    }

    /**
     * The quota resources {@code pods} (all to be created now) do not fit, quotas in name order, resources in name
     * order within a quota; empty when they all fit.
     */
    public static List<Shortfall> shortfalls(List<ResourceQuota> quotas, List<Pod> pods) {
        List<ResourceQuota> sorted = new ArrayList<>(quotas);
        sorted.sort(Comparator.comparing(q -> q.getMetadata().getName()));
        List<Map<String, BigDecimal>> usages = pods.stream().map(PodQuotaUsage::of).toList();
        List<Shortfall> out = new ArrayList<>();
        for (ResourceQuota quota : sorted) {
            if (quota.getStatus() == null || quota.getStatus().getHard() == null) {
                continue;
            }
            Map<String, BigDecimal> needed = new TreeMap<>();
            for (int i = 0; i < pods.size(); i++) {
                if (PodQuotaUsage.inScope(quota, pods.get(i))) {
                    usages.get(i).forEach((r, amount) -> needed.merge(r, amount, BigDecimal::add));
                }
            }
            Map<String, Quantity> used = quota.getStatus().getUsed() == null ? Map.of() : quota.getStatus().getUsed();
            for (Map.Entry<String, Quantity> hard : new TreeMap<>(quota.getStatus().getHard()).entrySet()) {
                BigDecimal need = needed.get(hard.getKey());
                // without a usage the admission refuses every pod ("status unknown for quota"); nothing to compute
                if (need == null || need.signum() <= 0 || !used.containsKey(hard.getKey())) {
                    continue;
                }
                BigDecimal limit = hard.getValue().getNumericalAmount();
                BigDecimal now = used.get(hard.getKey()).getNumericalAmount();
                if (now.add(need).compareTo(limit) > 0) {
                    out.add(new Shortfall(quota.getMetadata().getNamespace() + "/" + quota.getMetadata().getName(),
                            hard.getKey(), limit, now, need));
                }
            }
        }
        return out;
    }

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final String[] BINARY = {"Ki", "Mi", "Gi", "Ti", "Pi"};
    private static final String[] DECIMAL = {"k", "M", "G", "T", "P"};

    /**
     * {@code amount} of {@code resource} as a Kubernetes quantity: fractions in milli units ({@code 1200m}, anything
     * finer as a plain decimal); whole amounts of bytes (memory, storage, hugepages) with the largest binary suffix
     * that divides them exactly, else the largest decimal one, else plain; other whole amounts plain.
     */
    public static String format(String resource, BigDecimal amount) {
        BigDecimal a = amount.stripTrailingZeros();
        if (a.signum() == 0) {
            return "0";
        }
        if (a.scale() > 0) {
            BigDecimal milli = a.multiply(THOUSAND).stripTrailingZeros();
            return milli.scale() <= 0 ? milli.toPlainString() + "m" : a.toPlainString();
        }
        boolean bytes = resource.contains("memory") || resource.contains("storage") || resource.contains("hugepages-");
        if (!bytes) {
            return a.toPlainString();
        }
        String binary = largest(a, BigDecimal.valueOf(1024), BINARY);
        return binary != null ? binary : java.util.Objects.requireNonNullElse(largest(a, THOUSAND, DECIMAL),
                a.toPlainString());
    }

    private static String largest(BigDecimal a, BigDecimal base, String[] suffixes) {
        String best = null;
        BigDecimal unit = BigDecimal.ONE;
        for (String suffix : suffixes) {
            unit = unit.multiply(base);
            BigDecimal[] qr = a.divideAndRemainder(unit);
            // a positive amount smaller than the unit leaves a remainder too
            if (qr[1].signum() != 0) {
                break;
            }
            best = qr[0].toPlainString() + suffix;
        }
        return best;
    }
}
