package io.jenkins.plugins.kubeplatform.cli;

import io.jenkins.plugins.kubeplatform.engine.stickyip.StickyIpConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code kubeplatform completion bash|zsh}: a completion script (picocli's AutoComplete). */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script for bash or zsh.",
                "bash: source <(kubeplatform completion bash)",
                "zsh:  source <(kubeplatform completion zsh)",
                "With --config, --pool completes the pool names of that file (regenerate after changing pools)."})
public final class CompletionCommand implements Callable<Integer> {

    /** The shells a script can be generated for. */
    enum Shell { bash, zsh }

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        KubePlatformCli root = (KubePlatformCli) spec.root().userObject();
        List<String> pools = new ArrayList<>();
        if (root.config != null) {
            try (CliContext context = CliContext.of(spec)) {
                pools.addAll(StickyIpConfig.pools(context.config()).keySet());
            }
        }
        CommandLine fresh = KubePlatformCli.commandLine(new KubePlatformCli(root.environment()));
        if (!pools.isEmpty()) {
            withPoolCandidates(fresh, pools);
        }
        String script = AutoComplete.bash("kubeplatform", fresh);
        if (shell == Shell.zsh) {
            // picocli's script runs in zsh through bashcompinit
            script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    /** Gives every {@code --pool} option, at any depth, the configured pool names as candidates. */
    private static void withPoolCandidates(CommandLine commandLine, List<String> pools) {
        CommandSpec spec = commandLine.getCommandSpec();
        OptionSpec pool = spec.findOption("--pool");
        if (pool != null && !pool.inherited()) {
            spec.remove(pool);
            spec.addOption(pool.toBuilder().completionCandidates(pools).build());
        }
        commandLine.getSubcommands().values().forEach(sub -> withPoolCandidates(sub, pools));
    }
}
