package io.jenkins.plugins.kubeplatform.repair;

import hudson.AbortException;
import hudson.model.Run;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.common.KubePlatformPermissions;
import io.jenkins.plugins.kubeplatform.common.ResultAction;
import io.jenkins.plugins.kubeplatform.common.StepWorkers;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.KubernetesClients;
import io.jenkins.plugins.kubeplatform.engine.kube.ServerWarnings;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairSettings;
import io.jenkins.plugins.kubeplatform.kube.JenkinsClusters;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.springframework.security.core.Authentication;

/** What {@link RepairNodeExecution} needs from Jenkins; the tests drive the execution with their own. */
interface RepairHost {

    /**
     * Where the execution schedules its steps: the plugin's own {@link StepWorkers}, never Jenkins' shared
     * {@code jenkins.util.Timer}, because a step makes blocking API calls and backs off between retries.
     */
    ScheduledExecutorService timer();

    /** The build's client; the API server's warnings on its requests go to {@code log}, each text once. */
    KubernetesClient client(String cluster, StepContext context, Progress log) throws IOException,
            InterruptedException;

    RepairSettings settings();

    /** Who the repair is recorded for: the build. */
    String owner(StepContext context) throws IOException, InterruptedException;

    /** The context the body runs with: {@code KUBEPLATFORM_NODE} set. */
    Object bodyContext(StepContext context, String node) throws IOException, InterruptedException;

    /** Takes the agent offline unless it already is; returns whether this repair did it. */
    boolean takeAgentOffline(String agent, String node);

    void bringAgentBack(String agent);

    void registerAgents(List<String> agents);

    void showResult(StepContext context, ResultAction action) throws IOException, InterruptedException;

    /**
     * Fails unless the build's authentication holds {@code KubePlatform/RepairNode}. Called when the step starts, on
     * the Pipeline thread, where {@code Jenkins.getAuthentication2()} is the build's authentication (SYSTEM unless a
     * QueueItemAuthenticator sets a user).
     */
    void checkMayRepair(StepContext context) throws IOException, InterruptedException;

    /** The sticky-IP ledger on whose reservations released required pins are recorded (SIP-15); none by default. */
    default java.util.Optional<io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger> pinLedger() {
        return java.util.Optional.empty();
    }

    /** The real Jenkins. */
    RepairHost JENKINS = new RepairHost() {
        @Override
        public ScheduledExecutorService timer() {
            return StepWorkers.get();
        }

        @Override
        public KubernetesClient client(String cluster, StepContext context, Progress log) throws IOException,
                InterruptedException {
            return KubernetesClients.create(JenkinsClusters.connection(cluster, context), new ServerWarnings(log));
        }

        @Override
        public RepairSettings settings() {
            return RepairConfiguration.get().settings();
        }

        @Override
        public java.util.Optional<io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger> pinLedger() {
            return java.util.Optional.of(io.jenkins.plugins.kubeplatform.stickyip.StickyIpLedgers.get());
        }

        @Override
        public String owner(StepContext context) throws IOException, InterruptedException {
            return "jenkins:" + context.get(Run.class).getExternalizableId();
        }

        @Override
        public Object bodyContext(StepContext context, String node) throws IOException, InterruptedException {
            return EnvironmentExpander.merge(context.get(EnvironmentExpander.class),
                    EnvironmentExpander.constant(Map.of("KUBEPLATFORM_NODE", node)));
        }

        @Override
        public boolean takeAgentOffline(String agent, String node) {
            return RepairingAgents.takeOffline(agent, node);
        }

        @Override
        public void bringAgentBack(String agent) {
            RepairingAgents.bringBack(agent);
        }

        @Override
        public void registerAgents(List<String> agents) {
            RepairingAgents.register(agents);
        }

        @Override
        public void showResult(StepContext context, ResultAction action) throws IOException, InterruptedException {
            context.get(Run.class).addAction(action);
        }

        @Override
        public void checkMayRepair(StepContext context) throws AbortException {
            Authentication build = Jenkins.getAuthentication2();
            if (!Jenkins.get().getACL().hasPermission2(build, KubePlatformPermissions.REPAIR_NODE)) {
                throw new AbortException(KubePlatformPermissions.repairRefused(build.getName()));
            }
        }
    };
}
