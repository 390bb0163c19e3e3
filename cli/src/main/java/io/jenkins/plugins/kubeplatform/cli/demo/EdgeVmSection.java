package io.jenkins.plugins.kubeplatform.cli.demo;

/** provisionEdgeVm: placement by distance and load, join as a node, reuse of idle VMs, quota, inventory, teardown. */
final class EdgeVmSection implements DemoSection {

    @Override
    public String name() {
        return "edge-vm";
    }

    @Override
    public String title() {
        return "provisionEdgeVm: KubeVirt VMs on edge sites that join edge clusters as nodes";
    }

    @Override
    public void run(DemoEnvironment env) {
        env.say("Tenant 'demo' asks for a VM near Paris: the closest site with capacity hosts it, the best edge");
        env.say("cluster by load and distance is chosen, and the VM joins it as a node (cloud-init join, token in a Secret).");
        env.run(create("vm-a", "48.85,2.35"));
        env.say("Release keeps the VM idle for the tenant; the next matching request reuses it instead of booting one:");
        env.run("edge-vm", "release", "--name", "vm-a", "--tenant", "demo");
        env.run(create("vm-b", "48.85,2.35"));
        env.say("A request beyond the tenant's quota is refused before anything is created:");
        env.run(2, "edge-vm", "create", "--name", "vm-big", "--tenant", "demo", "--cpu", "64", "--memory", "4Gi",
                "--disk", "20Gi", "--image", "quay.io/containerdisks/ubuntu:22.04", "--location", "50.1,8.7");
        env.say("Delete drains the VM's node, removes it, then deletes the VM and its Secret; billing keeps the record:");
        env.run("edge-vm", "delete", "--name", "vm-b", "--tenant", "demo");
        env.run("edge-vm", "inventory", "--csv");
    }

    private static String[] create(String name, String location) {
        return new String[] {"edge-vm", "create", "--name", name, "--tenant", "demo", "--cpu", "2", "--memory", "4Gi",
                "--disk", "20Gi", "--image", "quay.io/containerdisks/ubuntu:22.04", "--location", location};
    }
}
