package io.jenkins.plugins.kubeplatform.cli.demo;

/** exposeApp: generated, transliterated, conflict-free hosts with an Ingress and a Gateway API HTTPRoute. */
final class ExposeSection implements DemoSection {

    @Override
    public String name() {
        return "expose";
    }

    @Override
    public String title() {
        return "exposeApp: conflict-free domains app.namespace.suffix, Service + Ingress or HTTPRoute";
    }

    @Override
    public void run(DemoEnvironment env) {
        String ns = StickyIpSection.NAMESPACE;
        env.say("Expose the sticky app under the Chinese name 挖财: the host is transliterated and slugged.");
        env.run("expose", "--namespace", ns, "--app", "挖财", "--port", "8080", "--service", StickyIpSection.APP);
        env.say("Running it again is idempotent (same owner, nothing written):");
        env.run("expose", "--namespace", ns, "--app", "挖财", "--port", "8080", "--service", StickyIpSection.APP);
        env.say("Another app whose name slugs to the same host is refused, naming the owner (exit code 1):");
        env.run(1, "expose", "--namespace", ns, "--app", "wacai", "--port", "8080");
        env.say("...or, when asked, takes the next free variant:");
        env.run("expose", "--namespace", ns, "--app", "wacai", "--port", "8080", "--on-conflict", "next-free");
        env.say("Gateway API (the successor of ingress-nginx): an HTTPRoute attached to gateway-system/platform-gateway.");
        env.run("expose", "--namespace", ns, "--app", "重庆", "--port", "8080", "--route", "httproute");
        env.say("Bad input is refused before anything changes (exit code 2):");
        env.run(2, "expose", "--namespace", "Shop_NS", "--app", "web", "--port", "8080");
    }
}
