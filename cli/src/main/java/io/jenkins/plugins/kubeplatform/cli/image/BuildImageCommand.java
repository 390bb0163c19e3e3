package io.jenkins.plugins.kubeplatform.cli.image;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.cli.ExitCodes;
import io.jenkins.plugins.kubeplatform.engine.image.ImageBuilder;
import io.jenkins.plugins.kubeplatform.engine.image.PushedImage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kubeplatform build-image}: build an image from a base plus an artifact and push it, without Docker. */
@Command(name = "build-image", mixinStandardHelpOptions = true,
        description = {"Build an image from a base image plus a built .jar, .war or directory and push it to a "
                + "registry, without a Docker daemon (Jib). Prints the pushed reference with its digest.",
                "Example: kubeplatform build-image --artifact target/app.jar --from eclipse-temurin:17-jre "
                        + "--to registry.example.com/team/app:1.0 --username ci --password-file ~/.registry-token"})
public final class BuildImageCommand implements Callable<Integer> {

    @Mixin
    ImageBuildOptions build;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CliContext context = CliContext.of(spec);
        PushedImage pushed = new ImageBuilder().buildAndPush(build.toRequest(context), context.progress());
        context.result(result(pushed), out -> out.println(pushed.reference()));
        return ExitCodes.OK;
    }

    /** The JSON result: repository, tag, digest and the reference to deploy. */
    public static Map<String, String> result(PushedImage pushed) {
        Map<String, String> result = new LinkedHashMap<>();
        result.put("repository", pushed.repository());
        result.put("tag", pushed.tag());
        result.put("digest", pushed.digest());
        result.put("reference", pushed.reference());
        return result;
    }
}
