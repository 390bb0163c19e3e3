package io.jenkins.plugins.kubeplatform.sim.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A label selector in the API server's query syntax ({@code labelSelector=}): comma-separated requirements
 * {@code key=v}, {@code key==v}, {@code key!=v}, {@code key in (a,b)}, {@code key notin (a,b)}, {@code key}
 * (exists), {@code !key} (does not exist), {@code key>n}, {@code key<n}; all must hold.
 */
public final class LabelSelector {

    private enum Op { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, NOT_EXISTS, GT, LT }

    private record Requirement(String key, Op op, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (op) {
                case EQUALS, IN -> v != null && values.contains(v);
                case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
                case EXISTS -> v != null;
                case NOT_EXISTS -> v == null;
                case GT, LT -> v != null && compare(v, values.iterator().next());
            };
        }

        private boolean compare(String actual, String bound) {
            try {
                long a = Long.parseLong(actual);
                long b = Long.parseLong(bound);
                return op == Op.GT ? a > b : a < b;
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    /** Everything matches the empty selector. */
    public static LabelSelector everything() {
        return new LabelSelector(List.of());
    }

    /**
     * Parses the selector; a malformed one throws {@link IllegalArgumentException} with the API server's message
     * ({@code unable to parse requirement: ...}).
     */
    public static LabelSelector parse(String selector) {
        List<Requirement> out = new ArrayList<>();
        for (String term : splitTopLevel(selector)) {
            String t = term.trim();
            if (t.isEmpty()) {
                continue;
            }
            out.add(requirement(t));
        }
        return new LabelSelector(out);
    }

    private static List<String> splitTopLevel(String s) {
        List<String> terms = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                terms.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        terms.add(cur.toString());
        return terms;
    }

    private static Requirement requirement(String t) {
        if (t.startsWith("!")) {
            return new Requirement(key(t.substring(1).trim(), t), Op.NOT_EXISTS, Set.of());
        }
        String[] words = t.split("\\s+", 2);
        if (words.length == 2 && (words[1].startsWith("in ") || words[1].startsWith("in(")
                || words[1].startsWith("notin ") || words[1].startsWith("notin("))) {
            boolean notIn = words[1].startsWith("notin");
            String rest = words[1].substring(notIn ? 5 : 2).trim();
            if (!rest.startsWith("(") || !rest.endsWith(")")) {
                throw new IllegalArgumentException("unable to parse requirement: found '" + rest
                        + "', expected: '('");
            }
            Set<String> values = new TreeSet<>();
            for (String v : rest.substring(1, rest.length() - 1).split(",")) {
                if (!v.trim().isEmpty()) {
                    values.add(v.trim());
                }
            }
            return new Requirement(key(words[0], t), notIn ? Op.NOT_IN : Op.IN, values);
        }
        for (String sym : new String[] {"!=", "==", "=", ">", "<"}) {
            int i = t.indexOf(sym);
            if (i > 0) {
                String key = key(t.substring(0, i).trim(), t);
                String value = t.substring(i + sym.length()).trim();
                Op op = switch (sym) {
                    case "!=" -> Op.NOT_EQUALS;
                    case ">" -> Op.GT;
                    case "<" -> Op.LT;
                    default -> Op.EQUALS;
                };
                return new Requirement(key, op, Set.of(value));
            }
        }
        return new Requirement(key(t, t), Op.EXISTS, Set.of());
    }

    private static String key(String key, String term) {
        if (key.isEmpty() || !key.matches("([a-z0-9A-Z.-]+/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?")) {
            throw new IllegalArgumentException("unable to parse requirement: <nil>: Invalid value: \"" + key
                    + "\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and "
                    + "end with an alphanumeric character (in \"" + term + "\")");
        }
        return key;
    }

    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels == null ? Map.of() : labels)) {
                return false;
            }
        }
        return true;
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }
}
