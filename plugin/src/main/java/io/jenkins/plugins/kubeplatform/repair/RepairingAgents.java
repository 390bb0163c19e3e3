package io.jenkins.plugins.kubeplatform.repair;

import hudson.model.Computer;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import jenkins.model.Jenkins;

/**
 * The Jenkins agents running on nodes under repair: taken temporarily offline (running builds finish, no new ones
 * start) and brought back on release. Executions re-register theirs after a restart.
 */
final class RepairingAgents {

    private static final Set<String> NAMES = ConcurrentHashMap.newKeySet();

    /** Jenkins' agents by name; tests give a stand-in node model. */
    static Function<String, Computer> computers = name -> Jenkins.get().getComputer(name);

    private RepairingAgents() {
    }

    /** What a controller restart does: the names are held in memory only. */
    static void forgetAll() {
        NAMES.clear();
    }

    static boolean contains(String agent) {
        return NAMES.contains(agent);
    }

    static void register(Collection<String> agents) {
        NAMES.addAll(agents);
    }

    /** Takes the agent offline unless it already is; returns whether this repair did it. */
    static boolean takeOffline(String agent, String node) {
        NAMES.add(agent);
        Computer computer = computers.apply(agent);
        if (computer == null || computer.isTemporarilyOffline()) {
            return false;
        }
        computer.setTemporarilyOffline(true, new RepairOfflineCause(node));
        return true;
    }

    /** Brings the agent back if it is still offline for the repair. */
    static void bringBack(String agent) {
        NAMES.remove(agent);
        Computer computer = computers.apply(agent);
        if (computer != null && computer.getOfflineCause() instanceof RepairOfflineCause) {
            computer.setTemporarilyOffline(false, null);
        }
    }
}
