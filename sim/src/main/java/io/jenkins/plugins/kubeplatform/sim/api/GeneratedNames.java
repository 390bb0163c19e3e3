package io.jenkins.plugins.kubeplatform.sim.api;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Names for objects created with {@code metadata.generateName}, as kube-apiserver's
 * {@code names.SimpleNameGenerator} makes them (apiserver/pkg/storage/names/generate.go): the prefix, cut to 58
 * characters, then five random characters from {@code utilrand}'s alphabet (no vowels, no 0/1/3, so that no word
 * and no look-alike digit appears).
 */
public final class GeneratedNames {

    /** {@code MaxGeneratedNameLength}: 63 minus the random part. */
    static final int MAX_PREFIX = 58;
    private static final int RANDOM_LENGTH = 5;
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

    private GeneratedNames() {
    }

    /** A name for {@code generateName}. */
    public static String generate(String generateName) {
        String base = generateName.length() > MAX_PREFIX ? generateName.substring(0, MAX_PREFIX) : generateName;
        StringBuilder name = new StringBuilder(base);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            name.append(ALPHANUMS.charAt(ThreadLocalRandom.current().nextInt(ALPHANUMS.length())));
        }
        return name.toString();
    }
}
