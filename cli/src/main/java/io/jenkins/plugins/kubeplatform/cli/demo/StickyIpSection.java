package io.jenkins.plugins.kubeplatform.cli.demo;

import io.fabric8.kubernetes.api.model.Pod;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import java.util.Map;
import java.util.TreeMap;

/** stickyIpDeploy: three replicas keep their addresses across pod deletion and a redeploy with a new image. */
final class StickyIpSection implements DemoSection {

    static final String NAMESPACE = "shop";
    static final String APP = "web";

    @Override
    public String name() {
        return "sticky-ip";
    }

    @Override
    public String title() {
        return "stickyIpDeploy: replicas keep their pod IPs across restarts and redeploys";
    }

    @Override
    public void run(DemoEnvironment env) {
        env.say("Deploy three replica identities; each gets its own address from pool 'default', written into the");
        env.say("pod annotation cni.projectcalico.org/ipAddrs of a single-replica workload per identity.");
        env.run(deploy("registry.example.test/shop/web:1.0"));
        Map<String, String> before = addresses(env);

        env.say("Delete every pod of %s/%s, as a node drain or a crash would; the workloads recreate them.", NAMESPACE, APP);
        env.client().pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/name", APP).delete();
        env.say("Running the same deploy again changes nothing; it waits until every pod is Ready on its address:");
        env.run(deploy("registry.example.test/shop/web:1.0"));
        same(env, before, "after deleting every pod");

        env.say("Redeploy with a new image: each identity's pod is updated in place (same pod, node and address; its");
        env.say("kubelet restarts the container from the new image), at most maxUnavailable (25%%, at least 1) at a time.");
        env.run(deploy("registry.example.test/shop/web:1.1"));
        same(env, before, "after the redeploy");

        env.say("The reservation ledger (kept by Jenkins under JENKINS_HOME; here in the state directory):");
        env.run("ip-ledger", "list", "--namespace", NAMESPACE);
    }

    static String[] deploy(String image) {
        return new String[] {"sticky-deploy", "--namespace", NAMESPACE, "--name", APP, "--image", image,
                "--replicas", "3", "--port", "8080", "--pool", "default", "--timeout", "2m"};
    }

    /** identity label → pod IP of the live pods. */
    static Map<String, String> addresses(DemoEnvironment env) {
        Map<String, String> ips = new TreeMap<>();
        for (Pod pod : env.client().pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/name", APP)
                .list().getItems()) {
            if (pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
                    && pod.getStatus().getPodIP() != null) {
                ips.put(pod.getMetadata().getLabels().get("kubeplatform.jenkins.io/identity"), pod.getStatus().getPodIP());
            }
        }
        return ips;
    }

    private static void same(DemoEnvironment env, Map<String, String> before, String when) {
        Map<String, String> after = addresses(env);
        if (!after.equals(before)) {
            throw new OperationFailedException("addresses changed " + when + ": " + before + " -> " + after);
        }
        env.say("Same addresses %s: %s", when, after.values());
    }
}
