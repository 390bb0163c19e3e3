package io.jenkins.plugins.kubeplatform.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.store.Json;
import io.jenkins.plugins.kubeplatform.store.StoreException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;

/** Maps failures to the exit code contract: 2 for input the user can fix, 1 for everything else. */
final class ErrorReporter implements IExecutionExceptionHandler {

    private final KubePlatformCli root;

    ErrorReporter(KubePlatformCli root) {
        this.root = root;
    }

    static int onParameterError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("kubeplatform: " + e.getMessage());
        err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        return ExitCodes.INVALID_INPUT;
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
