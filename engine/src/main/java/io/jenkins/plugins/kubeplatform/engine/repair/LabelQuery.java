package io.jenkins.plugins.kubeplatform.engine.repair;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An equality-based label selector as kubectl writes it: {@code key=value}, {@code key!=value}, {@code key} (exists)
 * and {@code !key} (does not exist), comma-separated. The empty query selects everything.
 */
public record LabelQuery(String text, List<Term> terms) {

    /** Prefix: a DNS-1123 subdomain (dot-separated DNS labels, as {@code IsDNS1123Subdomain}); then the name. */
    private static final Pattern KEY = Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
            + "[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

    /** One requirement on one label. */
    public record Term(String key, Op op, String value) {
    }

    /** Requirement kinds. */
    public enum Op { EQUALS, NOT_EQUALS, EXISTS, NOT_EXISTS }

    public static final LabelQuery ALL = new LabelQuery("", List.of());

    public static LabelQuery parse(String field, String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        List<Term> terms = new ArrayList<>();
        for (String raw : text.split(",")) {
            String part = raw.trim();
            Term term;
            if (part.startsWith("!")) {
                term = new Term(part.substring(1).trim(), Op.NOT_EXISTS, "");
            } else if (part.contains("!=")) {
                String[] kv = part.split("!=", 2);
                term = new Term(kv[0].trim(), Op.NOT_EQUALS, kv[1].trim());
            } else if (part.contains("=")) {
                String[] kv = part.split("==?", 2);
                term = new Term(kv[0].trim(), Op.EQUALS, kv[1].trim());
            } else {
                term = new Term(part, Op.EXISTS, "");
            }
            if (!validKey(term.key()) || !VALUE.matcher(term.value()).matches() || term.value().length() > 63) {
                throw new InvalidInputException(field, "must be a label selector such as 'pool=gpu,!spot' "
                        + "(key=value, key!=value, key, !key); got '" + Require.printable(text) + "'");
            }
            terms.add(term);
        }
        return new LabelQuery(text.trim(), List.copyOf(terms));
    }

    /**
     * A label key as the API server validates it (apimachinery {@code IsQualifiedName}): an optional DNS subdomain
     * prefix of at most 253 characters and {@code /}, then a name of at most 63 characters.
     */
    private static boolean validKey(String key) {
        if (!KEY.matcher(key).matches()) {
            return false;
        }
        int slash = key.indexOf('/');
        return slash <= 253 && key.length() - slash - 1 <= 63;
    }

    public boolean matches(Map<String, String> labels) {
        Map<String, String> have = labels == null ? Map.of() : labels;
        for (Term t : terms) {
            boolean ok = switch (t.op()) {
                case EQUALS -> t.value().equals(have.get(t.key()));
                case NOT_EQUALS -> !t.value().equals(have.get(t.key()));
                case EXISTS -> have.containsKey(t.key());
                case NOT_EXISTS -> !have.containsKey(t.key());
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    @Override
    public String toString() {
        return text;
    }
}
