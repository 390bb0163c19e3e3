package io.jenkins.plugins.kubeplatform.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.store.Json;
import io.jenkins.plugins.kubeplatform.store.StoreException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** Maps failures to the exit code contract: 2 for input the user can fix, 1 for everything else. */
final class ErrorReporter implements IExecutionExceptionHandler {

    private final KubePlatformCli root;

    ErrorReporter(KubePlatformCli root) {
        this.root = root;
    }

    static int onParameterError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String message = redacted(e, args);
        err.println("kubeplatform: " + message);
        err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        if (asksForJson(args)) {
            ObjectNode error = Json.mapper().createObjectNode();
            error.put("error", "invalid-input");
            error.put("message", message);
            error.put("exitCode", ExitCodes.INVALID_INPUT);
            cmd.getOut().println(error.toString());
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

    private static boolean asksForJson(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equalsIgnoreCase("--output=json")
                    || (args[i].equals("--output") && i + 1 < args.length && args[i + 1].equalsIgnoreCase("json"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        int code;
        String kind;
        String message;
        String field = null;
        if (e instanceof InvalidInputException invalid) {
            code = ExitCodes.INVALID_INPUT;
            kind = "invalid-input";
            message = invalid.getMessage();
            field = invalid.field();
            err.println("kubeplatform: invalid input: " + message + " (nothing was changed)");
        } else if (e instanceof OperationFailedException || e instanceof StoreException) {
            code = ExitCodes.FAILED;
            kind = "failed";
            message = e.getMessage();
            err.println("kubeplatform: " + message);
        } else if (e instanceof KubernetesClientException k) {
            code = ExitCodes.FAILED;
            kind = "failed";
            message = "the Kubernetes API refused the request: " + ApiRetry.serverMessage(k);
            err.println("kubeplatform: " + message);
        } else {
            code = ExitCodes.FAILED;
            kind = "bug";
            message = e.toString();
            err.println("kubeplatform: unexpected error (please report it with the stack trace below)");
            e.printStackTrace(err);
        }
        if (root.output == OutputFormat.JSON) {
            ObjectNode error = Json.mapper().createObjectNode();
            error.put("error", kind);
            error.put("message", message);
            if (field != null) {
                error.put("field", field);
            }
            error.put("exitCode", code);
            cmd.getOut().println(error.toString());
        }
        err.flush();
        return code;
    }
}
