package io.jenkins.plugins.kubeplatform.engine.stickyip;

/** A replica identity {@code namespace/name-ordinal} (SIP-1); its workload and label value are {@code name-ordinal}. */
public record ReplicaIdentity(String namespace, String name, int ordinal) implements Comparable<ReplicaIdentity> {

    /** Ledger key of a pod the plugin did not create. */
    static final String ADOPTED_PREFIX = "adopted:";

    public String key() {
        return namespace + "/" + workloadName();
    }

    public String workloadName() {
        return name + "-" + ordinal;
    }

    /** Parses a ledger key of a managed identity ({@code ns/name-N}); empty for adopted or malformed keys. */
    public static java.util.Optional<ReplicaIdentity> parse(String key) {
        int slash = key.indexOf('/');
        int dash = key.lastIndexOf('-');
        if (key.startsWith(ADOPTED_PREFIX) || slash <= 0 || dash <= slash + 1 || dash == key.length() - 1) {
            return java.util.Optional.empty();
        }
        try {
            int ordinal = Integer.parseInt(key.substring(dash + 1));
            return ordinal < 0 ? java.util.Optional.empty() : java.util.Optional.of(
                    new ReplicaIdentity(key.substring(0, slash), key.substring(slash + 1, dash), ordinal));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    static String adoptedKey(String namespace, String pod) {
        return ADOPTED_PREFIX + namespace + "/" + pod;
    }

    @Override
    public int compareTo(ReplicaIdentity o) {
        int c = namespace.compareTo(o.namespace);
        if (c == 0) {
            c = name.compareTo(o.name);
        }
        return c != 0 ? c : Integer.compare(ordinal, o.ordinal);
    }

    @Override
    public String toString() {
        return key();
    }
}
