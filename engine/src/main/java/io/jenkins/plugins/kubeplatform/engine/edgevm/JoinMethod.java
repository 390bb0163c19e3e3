package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** How a VM joins its edge cluster from cloud-init; each renders the shell command that runs on first boot. */
public enum JoinMethod {
    /** {@code k3s agent} via the k3s install script, token read from a file. */
    K3S,
    /** {@code kubeadm join} with the bootstrap token, labels via the kubelet's {@code --node-labels}. */
    KUBEADM,
    /** OpenYurt's {@code yurtadm join} as an edge node of the edge cluster's NodePool. */
    OPENYURT;

    static final String TOKEN_PATH = "/etc/kubeplatform/join-token";
    private static final Pattern CA_HASH = Pattern.compile("sha256:[0-9a-f]{64}");

    public static JoinMethod parse(String field, String text) {
        String value = text == null || text.isBlank() ? "k3s" : text.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "k3s" -> K3S;
            case "kubeadm" -> KUBEADM;
            case "openyurt", "yurtadm" -> OPENYURT;
            default -> throw new InvalidInputException(field, "must be k3s, kubeadm or openyurt; got '"
                    + Require.printable(value) + "'");
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** kubeadm and yurtadm verify the control plane by its CA hash; k3s pins it through the token itself. */
    void checkCaHash(String field, String caCertHash) {
        if (this == K3S) {
            return;
        }
        if (caCertHash == null || !CA_HASH.matcher(caCertHash.trim()).matches()) {
            throw new InvalidInputException(field, "is required for " + id() + " joins and must look like "
                    + "sha256:<64 hex digits> (kubeadm token create --print-join-command shows it)");
        }
    }

    /**
     * The command run on first boot. The token is read from {@link #TOKEN_PATH} at run time, so it is never part of
     * the command text.
     */
    String command(String server, String caCertHash, String nodeName, Map<String, String> labels, String nodePool) {
        String labelList = labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        String hostPort = server.replaceFirst("^https?://", "");
        return switch (this) {
            case K3S -> "curl -sfL https://get.k3s.io | K3S_URL=" + server + " K3S_TOKEN_FILE=" + TOKEN_PATH
                    + " sh -s - agent --node-name " + nodeName
                    + labels.entrySet().stream().map(e -> " --node-label " + e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining());
            case KUBEADM -> "echo 'KUBELET_EXTRA_ARGS=--node-labels=" + labelList + "' > /etc/default/kubelet && "
                    + "kubeadm join " + hostPort + " --token \"$(cat " + TOKEN_PATH + ")\" "
                    + "--discovery-token-ca-cert-hash " + caCertHash + " --node-name " + nodeName;
            case OPENYURT -> "yurtadm join " + hostPort + " --token=\"$(cat " + TOKEN_PATH + ")\" --node-type=edge "
                    + "--discovery-token-ca-cert-hash " + caCertHash + " --node-name " + nodeName
                    + " --nodepool-name " + nodePool + " --node-labels=" + labelList;
        };
    }
}
