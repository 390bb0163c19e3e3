package io.jenkins.plugins.kubeplatform.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.store.StoreException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/** Maps failures to the exit code contract: 2 for input the user can fix, 1 for everything else. */
final class ErrorReporter implements IExecutionExceptionHandler {

    private final KubePlatformCli root;

    ErrorReporter(KubePlatformCli root) {
        this.root = root;
    }

    static int onParameterError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String message = Redaction.apply(redacted(e, args));
        err.println("kubeplatform: " + message);
        if (e instanceof UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                err.println("Did you mean: " + String.join(" or ", suggestions.subList(0, Math.min(3,
                        suggestions.size()))) + "?");
            }
        }
        err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        OutputFormat format = askedFormat(args);
        if (format.structured()) {
            cmd.getOut().print(errorDocument(format, "invalid-input", message, null, ExitCodes.INVALID_INPUT));
            cmd.getOut().flush();
        }
        err.flush();
        return ExitCodes.INVALID_INPUT;
    }

    /**
     * The parse error without the values of arguments nobody asked for: a mistyped option such as
     * {@code --tokn=s3cret} or a stray positional value may well be a secret, so only option names are echoed.
     */
    static String redacted(ParameterException e, String[] args) {
        if (!(e instanceof UnmatchedArgumentException unmatched)) {
            return e.getMessage();
        }
        List<String> names = new ArrayList<>();
        int values = 0;
        for (String arg : unmatched.getUnmatched()) {
            if (arg.startsWith("-")) {
                int eq = arg.indexOf('=');
                names.add("'" + (eq < 0 ? arg : arg.substring(0, eq) + "=***") + "'");
            } else {
                values++;
            }
        }
        StringBuilder message = new StringBuilder();
        if (!names.isEmpty()) {
            message.append(names.size() == 1 ? "Unknown option: " : "Unknown options: ")
                    .append(String.join(", ", names));
        }
        if (values > 0) {
            if (message.length() > 0) {
                message.append("; ");
            }
            message.append(values).append(values == 1 ? " unexpected argument" : " unexpected arguments")
                    .append(" (values are not echoed)");
        }
        return message.toString();
    }

    /** The -o format asked for, read from the raw arguments because parsing failed. */
    private static OutputFormat askedFormat(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String value = null;
            if (args[i].startsWith("--output=") || args[i].startsWith("-o=")) {
                value = args[i].substring(args[i].indexOf('=') + 1);
            } else if ((args[i].equals("--output") || args[i].equals("-o")) && i + 1 < args.length) {
                value = args[i + 1];
            } else if (args[i].startsWith("-o") && args[i].length() > 2) {
                value = args[i].substring(2);
            }
            if (value != null) {
                for (OutputFormat f : OutputFormat.values()) {
                    if (f.name().equalsIgnoreCase(value)) {
                        return f;
                    }
                }
            }
        }
        return OutputFormat.TEXT;
    }

    private static String errorDocument(OutputFormat format, String kind, String message, String field, int code) {
        java.util.Map<String, Object> error = new java.util.LinkedHashMap<>();
        error.put("error", kind);
        error.put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        error.put("exitCode", code);
        return Output.document(format, "Error", error);
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        if (Interruption.interrupted()) {
            // a consequence of Ctrl-C (closed connections, interrupted waits), not a bug: the hook reports it
            err.flush();
            return ExitCodes.INTERRUPTED;
        }
        int code;
        String kind;
        String message;
        String field = null;
        String server = root.connectionUsed().map(ResolvedConnection::server).orElse(null);
        java.util.Optional<String> connection = ConnectionProblem.explain(e, server);
        if (e instanceof InvalidInputException invalid) {
            code = ExitCodes.INVALID_INPUT;
            kind = "invalid-input";
            message = Redaction.apply(invalid.getMessage());
            field = invalid.field();
            err.println("kubeplatform: invalid input: " + message + " (nothing was changed)");
        } else if (connection.isPresent()) {
            code = ExitCodes.FAILED;
            kind = "connection";
            message = Redaction.apply(connection.get());
            err.println("kubeplatform: " + message);
        } else if (e instanceof OperationFailedException || e instanceof StoreException) {
            code = ExitCodes.FAILED;
            kind = "failed";
            message = Redaction.apply(e.getMessage());
            err.println("kubeplatform: " + message);
        } else if (e instanceof KubernetesClientException k) {
            code = ExitCodes.FAILED;
            kind = "failed";
            message = Redaction.apply("the Kubernetes API refused the request: " + ApiRetry.serverMessage(k));
            err.println("kubeplatform: " + message);
        } else {
            code = ExitCodes.FAILED;
            kind = "bug";
            message = Redaction.apply(e.toString());
            err.println("kubeplatform: unexpected error (please report it with the stack trace below)");
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            err.print(Redaction.apply(trace.toString()));
        }
        if (root.output != null && root.output.structured()) {
            cmd.getOut().print(errorDocument(root.output, kind, message, field, code));
            cmd.getOut().flush();
        }
        err.flush();
        return code;
    }
}
