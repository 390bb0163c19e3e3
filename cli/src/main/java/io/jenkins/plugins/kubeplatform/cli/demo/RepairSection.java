package io.jenkins.plugins.kubeplatform.cli.demo;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import java.util.Map;

/** repairNode: drain a node that runs a sticky replica, repair it, bring it back; the replica keeps its address. */
final class RepairSection implements DemoSection {

    @Override
    public String name() {
        return "repair";
    }

    @Override
    public String title() {
        return "repairNode: cordon, drain under disruption budgets, repair, verify, uncordon";
    }

    @Override
    public void run(DemoEnvironment env) {
        Pod victim = env.client().pods().inNamespace(StickyIpSection.NAMESPACE)
                .withLabel("app.kubernetes.io/name", StickyIpSection.APP).list().getItems().stream()
                .filter(p -> p.getSpec().getNodeName() != null)
                .findFirst()
                .orElse(null);
        String node = victim == null ? "node-2" : victim.getSpec().getNodeName();
        Map<String, String> before = StickyIpSection.addresses(env);
        env.say("Repair node %s: its pods are evicted with the Eviction API; the repair command runs when it is empty.",
                node);
        env.run("repair-node", "--node", node, "--command", "echo firmware updated on " + node,
                "--verify-window", "5s");
        Node repaired = env.client().nodes().withName(node).get();
        if (Boolean.TRUE.equals(repaired.getSpec().getUnschedulable())) {
            throw new OperationFailedException("node " + node + " is still cordoned after the repair");
        }
        env.say("Node %s is schedulable again and carries no maintenance annotation.", node);
        if (victim != null) {
            env.say("The sticky replica evicted from %s came back elsewhere with its reserved address:", node);
            env.run(StickyIpSection.deploy("registry.example.test/shop/web:1.1"));
            if (!StickyIpSection.addresses(env).equals(before)) {
                throw new OperationFailedException("a replica lost its address during the repair");
            }
        }
    }
}
