package io.jenkins.plugins.kubeplatform.cli;

import io.fabric8.kubernetes.client.Config;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The one place every error message passes through before it is printed: known secret values (tokens read by
 * this process, credentials of the resolved kubeconfig) and anything after {@code Bearer } become {@code ****}.
 */
final class Redaction {

    static final String MASK = "****";
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[^\\s\"',;]+");
    /** Shorter strings are too likely to occur in ordinary text to be masked everywhere. */
    private static final int MIN_LENGTH = 6;
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private Redaction() {
    }

    static void remember(String secret) {
        if (secret != null && secret.strip().length() >= MIN_LENGTH) {
            SECRETS.add(secret);
            SECRETS.add(secret.strip());
            for (String line : secret.split("\\R")) {
                if (line.strip().length() >= MIN_LENGTH) {
                    SECRETS.add(line.strip());
                }
            }
        }
    }

    /** Remembers the credentials a resolved configuration carries. */
    static void remember(Config config) {
        remember(config.getOauthToken());
        remember(config.getAutoOAuthToken());
        remember(config.getPassword());
        remember(config.getClientKeyData());
        remember(config.getClientKeyPassphrase());
    }

    static String apply(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        List<String> longestFirst = SECRETS.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String secret : longestFirst) {
            result = result.replace(secret, MASK);
        }
        return BEARER.matcher(result).replaceAll("$1" + MASK);
    }
}
