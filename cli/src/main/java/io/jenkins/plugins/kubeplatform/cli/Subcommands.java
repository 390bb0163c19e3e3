package io.jenkins.plugins.kubeplatform.cli;

import java.util.List;
import java.util.ServiceLoader;

/**
 * The commands below {@code kubeplatform}, in help order. The root command does not name them (that would make this
 * package depend on every command package while they use {@link CliContext}); the one implementation,
 * {@code cli.app.AllCommands}, is found through {@link ServiceLoader}.
 */
public interface Subcommands {

    /** Fresh command objects, one per subcommand, in the order help lists them. */
    List<Object> commands();

    /** The installed list; fails when the CLI was packaged without it. */
    static List<Object> installed() {
        List<Subcommands> found = ServiceLoader.load(Subcommands.class, Subcommands.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
        if (found.size() != 1) {
            throw new IllegalStateException("expected one " + Subcommands.class.getName() + " service (META-INF/"
                    + "services), found " + found.size());
        }
        return found.get(0).commands();
    }
}
