package io.jenkins.plugins.kubeplatform.engine.core;

import java.util.regex.Pattern;

/**
 * Container image references by the OCI distribution reference grammar
 * ({@code [registry[:port]/]path[:tag][@algorithm:digest]}): lower-case path components joined by '.', '_', '__'
 * or '-', tags of at most 128 word characters, names of at most 255 characters.
 */
public final class ImageReference {

    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*"
            + "|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}";
    private static final Pattern REFERENCE = Pattern.compile("((?:" + DOMAIN + "/)?" + COMPONENT + "(?:/" + COMPONENT
            + ")*)(?::" + TAG + ")?(?:@" + DIGEST + ")?");
    private static final int MAX_NAME = 255;
    /** A name of 255 characters plus a 128-character tag and a sha512 digest. */
    private static final int MAX_REFERENCE = 255 + 1 + 128 + 1 + 7 + 128;

    private ImageReference() {
    }

    /** {@code value} when it is a valid reference, else an {@link InvalidInputException} naming {@code field}. */
    public static String check(String field, String value) {
        Require.nonBlank(field, value);
        if (value.length() > MAX_REFERENCE) {
            throw new InvalidInputException(field, "is " + value.length() + " characters long; an image reference has "
                    + "at most " + MAX_REFERENCE);
        }
        var m = REFERENCE.matcher(value);
        if (!m.matches()) {
            throw new InvalidInputException(field, "must be an image reference such as registry.example.com/team/app:1.0 "
                    + "or ...@sha256:<64 hex> (lower-case path, tag of word characters, '.' and '-'); got '"
                    + printable(value) + "'");
        }
        if (m.group(1).length() > MAX_NAME) {
            throw new InvalidInputException(field, "has a repository name of " + m.group(1).length()
                    + " characters; at most " + MAX_NAME + " are allowed");
        }
        return value;
    }

    private static String printable(String value) {
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
