package io.jenkins.plugins.kubeplatform.engine.stickyip;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import io.jenkins.plugins.kubeplatform.engine.schema.SectionValues;
import io.jenkins.plugins.kubeplatform.engine.schema.Setting;
import io.jenkins.plugins.kubeplatform.engine.schema.SettingsSection;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.AddressRange;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.IpKey;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.Ipv6Range;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code stickyIp:} section declared once: the pools and where the reservation ledger lives, every key with its
 * type, rule, default and meaning. The CLI loader, the Jenkins forms ({@code StickyIpConfiguration},
 * {@code PoolConfig}), the defaults of {@link PoolSettings.Builder} and {@link LedgerSettings.Builder} and the table in
 * docs/configuration.md are derived from these declarations. {@link PoolSettings#toPools} applies the rules between
 * keys and pools (families, exclusions, sizes, overlaps) to pools however they were built.
 */
public final class StickyIpSchema {

    public static final Setting<String> POOL_NAME = Setting.dnsLabel("name", null, 63,
            "Pool name: what a deploy's `pool` names; unique among the pools").required();
    public static final Setting<List<String>> POOL_RANGES = Setting.names("ranges",
            "IPv4 CIDRs, ranges (`a-b`) or addresses, plus at most one IPv6 CIDR, range or address", null,
            "The addresses handed out: at most a /8 of IPv4 in all, an IPv6 part of a /64 or smaller; both families: "
                    + "dual-stack (one address of each per identity); pools must not overlap",
            StickyIpSchema::range).required();
    public static final Setting<List<String>> POOL_EXCLUDE = Setting.names("exclude", "IPv4 or IPv6 addresses", "",
            "Addresses of the pool's families never handed out", StickyIpSchema::address);
    public static final Setting<String> POOL_CNI = Setting.of("cni", "`calico` or `kube-ovn`", Cni.CALICO.configName(),
            "CNI whose annotation requests the address (`cni.projectcalico.org/ipAddrs` or "
                    + "`ovn.kubernetes.io/ip_address`)", (path, text) -> Cni.fromConfig(text).map(Cni::configName)
                    .orElseThrow(() -> new InvalidInputException(path, "must be calico or kube-ovn; got '"
                            + Require.printable(text) + "'")));
    public static final Setting<String> POOL_ALLOCATION = word("allocation", "lowest",
            "Which free address a new identity gets: the lowest, or a random one", List.of("lowest", "random"));
    public static final Setting<List<String>> POOL_KEEP_NAMESPACES = Setting.names("keepNamespaces", "DNS labels", "",
            "Namespaces where scaled-down identities keep their address (idle) until `reclaimAfter`", Require::dnsLabel);
    public static final Setting<String> POOL_RECLAIM_AFTER = Setting.of("reclaimAfter", "duration", "7d",
            "How long an idle reservation is kept before garbage collection releases it", (path, text) -> {
                Require.duration(path, text.trim());
                return text.trim();
            });
    public static final Setting<String> POOL_NODE_PINNING = word("nodePinning", "preferred",
            "Steering an identity back to its last node: preferred or required node affinity, or none",
            List.of("preferred", "required", "off"));
    public static final Setting<Boolean> POOL_REALLOCATE_WHEN_NODE_LOST = Setting.flag("reallocateWhenNodeLost", false,
            "Give an identity a new address instead of its old one when its last node is gone");
    public static final Setting<String> POOL_CNI_CHECK = word("cniCheck", "enforce",
            "When the CNI may auto-assign the pool's addresses: refuse the deploy, warn and deploy, or do not check",
            List.of("enforce", "warn", "off"));
    public static final Setting<String> POOL_ALLOWED_JOBS = Setting.text("allowedJobs", "",
            "Folders and jobs that may deploy with addresses from this pool, one per line or comma-separated; empty: "
                    + "every job").only(Setting.Scope.JENKINS);

    /** The items of {@code stickyIp.pools}. */
    public static final SettingsSection POOL = new SettingsSection("stickyIp.pools[]", List.of(POOL_NAME, POOL_RANGES,
            POOL_EXCLUDE, POOL_CNI, POOL_ALLOCATION, POOL_KEEP_NAMESPACES, POOL_RECLAIM_AFTER, POOL_NODE_PINNING,
            POOL_REALLOCATE_WHEN_NODE_LOST, POOL_CNI_CHECK, POOL_ALLOWED_JOBS));

    public static final Setting<String> CLUSTER = Setting.text("cluster", "",
            "The cluster of the pools: Jenkins' periodic adoption and garbage collection, and the cluster ledger; "
                    + "empty: the default cluster");
    public static final Setting<List<SectionValues>> POOLS = Setting.items("pools", POOL,
            "IP pools deploys allocate from");
    public static final Setting<LedgerSettings.Store> LEDGER_STORE = Setting.of("ledgerStore", "`file` or `cluster`",
            "file", "Where the reservation ledger lives: `file` (journal and snapshots under the state directory, one "
                    + "controller) or `cluster` (one ConfigMap per address, shared by every controller and CLI)",
            StickyIpSchema::store);
    public static final Setting<String> LEDGER_NAMESPACE = Setting.dnsLabel("ledgerNamespace",
            LedgerSettings.DEFAULT_NAMESPACE, 63, "Namespace of the cluster ledger's ConfigMaps, in the pools' cluster");

    /** The {@code stickyIp:} section. */
    public static final SettingsSection SECTION = new SettingsSection("stickyIp", List.of(CLUSTER, POOLS, LEDGER_STORE,
            LEDGER_NAMESPACE));

    private StickyIpSchema() {
    }

    /** The ledger settings of a {@code stickyIp:} mapping (missing or null: the defaults); a bad value names its key. */
    public static LedgerSettings ledger(JsonNode section) {
        SectionValues v = SECTION.read(SECTION.path(), section);
        return LedgerSettings.builder()
                .store(v.get(LEDGER_STORE))
                .namespace(v.get(LEDGER_NAMESPACE))
                .cluster(v.get(CLUSTER))
                .build();
    }

    /** The pools of a {@code stickyIp:} mapping as written, each key checked by its rule (not yet between keys). */
    public static List<PoolSettings> poolSettings(JsonNode section) {
        SectionValues v = SECTION.read(SECTION.path(), section);
        List<PoolSettings> out = new ArrayList<>();
        for (SectionValues p : v.given(POOLS).orElse(List.of())) {
            out.add(PoolSettings.builder(p.get(POOL_NAME))
                    .ranges(p.get(POOL_RANGES))
                    .exclude(p.get(POOL_EXCLUDE))
                    .cni(p.get(POOL_CNI))
                    .allocation(p.get(POOL_ALLOCATION))
                    .keepNamespaces(p.get(POOL_KEEP_NAMESPACES))
                    .reclaimAfter(p.get(POOL_RECLAIM_AFTER))
                    .nodePinning(p.get(POOL_NODE_PINNING))
                    .reallocateWhenNodeLost(p.get(POOL_REALLOCATE_WHEN_NODE_LOST))
                    .cniCheck(p.get(POOL_CNI_CHECK))
                    .build());
        }
        return List.copyOf(out);
    }

    /**
     * The validated pools of a {@code stickyIp:} mapping by name; a bad value, a rule between keys or pools broken is
     * an input error naming the field ({@code stickyIp.pools[web].ranges: ...}).
     */
    public static Map<String, IpPool> pools(JsonNode section) {
        List<PoolSettings> settings = poolSettings(section);
        try {
            return PoolSettings.toPools(settings);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(SECTION.path() + "." + e.field(), e.rule());
        }
    }

    /** A form's check of one key of a pool: empty when valid or blank, else the message naming the key. */
    public static Optional<String> checkPool(Setting<?> setting, String text) {
        return POOL.check(setting.name(), text);
    }

    /** A form's check of one key of the section: empty when valid or blank, else the message naming the key. */
    public static Optional<String> check(Setting<?> setting, String text) {
        return SECTION.check(setting.name(), text);
    }

    private static String range(String path, String text) {
        Optional<String> problem = Ipv6Range.looksLikeIpv6(text) ? Ipv6Range.problem(text) : AddressRange.problem(text);
        if (problem.isPresent()) {
            throw new InvalidInputException(path, problem.get());
        }
        return text;
    }

    private static String address(String path, String text) {
        if (IpKey.parse(text).isEmpty()) {
            throw new InvalidInputException(path, "must list IPv4 or IPv6 addresses; got '" + Require.printable(text)
                    + "'");
        }
        return text;
    }

    private static LedgerSettings.Store store(String path, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "file" -> LedgerSettings.Store.FILE;
            case "cluster" -> LedgerSettings.Store.CLUSTER;
            default -> throw new InvalidInputException(path, "must be file or cluster; got '" + Require.printable(text)
                    + "'");
        };
    }

    /** One of {@code words}, written in lower case (the value is the word). */
    private static Setting<String> word(String name, String defaultText, String doc, List<String> words) {
        return Setting.of(name, String.join(" or ", words.stream().map(w -> "`" + w + "`").toList()), defaultText, doc,
                (path, text) -> {
                    String w = text.trim().toLowerCase(Locale.ROOT);
                    if (!words.contains(w)) {
                        throw new InvalidInputException(path, "must be " + String.join(", ", words.subList(0,
                                words.size() - 1)) + " or " + words.get(words.size() - 1) + "; got '"
                                + Require.printable(text) + "'");
                    }
                    return w;
                });
    }
}
