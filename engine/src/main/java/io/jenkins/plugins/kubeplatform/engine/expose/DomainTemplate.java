package io.jenkins.plugins.kubeplatform.engine.expose;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin-configured shape of generated hosts, {@code {app}.{namespace}.{suffix}} by default. The app part gets
 * whatever room the namespace and suffix leave within DNS limits (63 per label, 253 in total).
 */
public final class DomainTemplate {

    public static final String DEFAULT = "{app}.{namespace}.{suffix}";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]*)}");
    private static final Pattern LITERAL = Pattern.compile("[a-z0-9.-]*");

    private final String pattern;

    private DomainTemplate(String pattern) {
        this.pattern = pattern;
    }

    /** Checks the template: only {@code {app}}, {@code {namespace}}, {@code {suffix}}, DNS characters, {@code {app}} required. */
    public static DomainTemplate parse(String field, String pattern) {
        String value = pattern == null || pattern.isBlank() ? DEFAULT : pattern.trim();
        Matcher m = PLACEHOLDER.matcher(value);
        boolean hasApp = false;
        int last = 0;
        while (m.find()) {
            checkLiteral(field, value, value.substring(last, m.start()));
            switch (m.group(1)) {
                case "app" -> hasApp = true;
                case "namespace", "suffix" -> { }
                default -> throw new InvalidInputException(field, "knows only the placeholders {app}, {namespace} and "
                        + "{suffix}; got '{" + m.group(1) + "}' in '" + Require.printable(value) + "'");
            }
            last = m.end();
        }
        checkLiteral(field, value, value.substring(last));
        if (!hasApp) {
            throw new InvalidInputException(field, "must contain {app}, otherwise every app would get the same host; got '"
                    + Require.printable(value) + "'");
        }
        DomainTemplate template = new DomainTemplate(value);
        String sample = template.render("app", "namespace", "example.test");
        if (!DnsNames.isHost(sample)) {
            throw new InvalidInputException(field, "must render a DNS name (labels of a-z, 0-9 and '-', separated by "
                    + "single dots); '" + value + "' renders '" + sample + "'");
        }
        return template;
    }

    public String pattern() {
        return pattern;
    }

    /**
     * The host for {@code app} (any script) in {@code namespace}; variant 2, 3, ... gives {@code app-2}, ...
     *
     * @throws InvalidInputException if namespace and suffix leave too little room for an app label
     */
    public String host(String app, int variant, String namespace, String suffix) {
        int room = roomForApp(namespace, suffix);
        int needed = DnsNames.HASH_LENGTH + (variant > 1 ? String.valueOf(variant).length() + 1 : 0);
        if (room < needed) {
            throw new InvalidInputException("domains.suffix", "with template '" + pattern + "' and namespace '"
                    + namespace + "' leaves " + Math.max(room, 0) + " characters for the app name; at least "
                    + needed + " are needed (a host is at most 253 characters, each label at most 63)");
        }
        return render(DnsNames.label(app, variant, room), namespace, suffix);
    }

    /** How long the app label may be so that every label and the whole host stay within DNS limits. */
    int roomForApp(String namespace, String suffix) {
        int room = DnsNames.MAX_LABEL;
        String marker = "\u0000";
        String rendered = render(marker, namespace, suffix);
        int appCount = 0;
        for (String label : rendered.split("\\.", -1)) {
            int k = count(label, marker);
            if (k > 0) {
                room = Math.min(room, (DnsNames.MAX_LABEL - (label.length() - k)) / k);
                appCount += k;
            }
        }
        int fixed = rendered.length() - appCount;
        return Math.min(room, (DnsNames.MAX_HOST - fixed) / appCount);
    }

    private String render(String appLabel, String namespace, String suffix) {
        return pattern.replace("{app}", appLabel).replace("{namespace}", namespace).replace("{suffix}", suffix);
    }

    private static int count(String s, String marker) {
        int n = 0;
        for (int i = s.indexOf(marker); i >= 0; i = s.indexOf(marker, i + 1)) {
            n++;
        }
        return n;
    }

    private static void checkLiteral(String field, String template, String literal) {
        if (!LITERAL.matcher(literal).matches()) {
            throw new InvalidInputException(field, "may contain only placeholders, a-z, 0-9, '-' and '.'; got '"
                    + Require.printable(template) + "'");
        }
    }
}
