package io.jenkins.plugins.kubeplatform.engine.expose;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** DNS-1123 slugging with a short stable hash wherever the readable part alone could not tell two names apart. */
public final class DnsNames {

    public static final int MAX_LABEL = 63;
    public static final int MAX_HOST = 253;
    /** Characters of the hash appended to truncated, lossy or empty slugs. */
    public static final int HASH_LENGTH = 8;

    private static final Pattern NOT_SLUG = Pattern.compile("[^a-z0-9]+");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern SERVICE_NAME = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");

    private DnsNames() {
    }

    /**
     * A DNS-1123 label of at most {@code max} characters for {@code name} in any script. When the readable slug is
     * empty, had characters dropped, or is too long, it is cut and followed by {@code -} and a hash of the original
     * name, so different names never end up with the same label. {@code variant} 2, 3, ... appends {@code -2}, ...
     */
    public static String label(String name, int variant, int max) {
        String variantSuffix = variant > 1 ? "-" + variant : "";
        if (max < HASH_LENGTH + variantSuffix.length()) {
            throw new IllegalArgumentException("a label needs room for at least " + (HASH_LENGTH + variantSuffix.length())
                    + " characters; got " + max);
        }
        Transliteration.Latin latin = Transliteration.toLatin(name);
        String slug = slug(latin.text());
        if (!latin.lossy() && !slug.isEmpty() && slug.length() + variantSuffix.length() <= max) {
            return slug + variantSuffix;
        }
        String hash = hash(name);
        String base = slug.isEmpty() ? "app" : slug;
        int room = max - HASH_LENGTH - 1 - variantSuffix.length();
        base = trimHyphens(base.substring(0, Math.max(0, Math.min(room, base.length()))));
        return (base.isEmpty() ? "" : base + "-") + hash + variantSuffix;
    }

    /** Lowercase {@code [a-z0-9-]}: every other run of characters becomes one hyphen; no hyphen at either end. */
    public static String slug(String ascii) {
        return trimHyphens(NOT_SLUG.matcher(ascii.toLowerCase(java.util.Locale.ROOT)).replaceAll("-"));
    }

    /** The first {@value #HASH_LENGTH} hex digits of SHA-256 over the NFC form of the name. */
    public static String hash(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Normalizer.normalize(name, Normalizer.Form.NFC).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** A Service name derived from an app name: a DNS-1035 label (starts with a letter), at most 63 characters. */
    public static String serviceName(String app) {
        String label = label(app, 1, MAX_LABEL);
        if (SERVICE_NAME.matcher(label).matches()) {
            return label;
        }
        // "app-" keeps the readable part first, so the result always starts with a letter
        return label("app-" + app, 1, MAX_LABEL);
    }

    public static boolean isLabel(String value) {
        return value != null && LABEL.matcher(value).matches();
    }

    /** A lowercase DNS name: labels of at most 63, at most 253 in total, at least two labels. */
    public static boolean isHost(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_HOST) {
            return false;
        }
        String[] labels = value.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (!isLabel(label)) {
                return false;
            }
        }
        return true;
    }

    private static String trimHyphens(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '-') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '-') {
            end--;
        }
        return s.substring(start, end);
    }
}
