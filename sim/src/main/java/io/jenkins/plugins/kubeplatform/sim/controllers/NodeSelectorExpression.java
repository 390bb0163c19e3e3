package io.jenkins.plugins.kubeplatform.sim.controllers;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of Calico's selector syntax that IPPool {@code nodeSelector}s use: {@code all()}, {@code !all()},
 * {@code has(k)}, {@code !has(k)}, {@code k == 'v'}, {@code k != 'v'}, joined by {@code &&}. Anything else matches no
 * node, so a pool with a selector the simulation does not understand never auto-assigns (the safe reading).
 */
final class NodeSelectorExpression {

    private static final Pattern EQ = Pattern.compile("([\\w./-]+)\\s*(==|!=)\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern HAS = Pattern.compile("(!?)has\\(([\\w./-]+)\\)");

    private NodeSelectorExpression() {
    }

    static boolean matches(String selector, Map<String, String> labels) {
        for (String part : selector.split("&&")) {
            if (!term(part.trim(), labels)) {
                return false;
            }
        }
        return true;
    }

    private static boolean term(String t, Map<String, String> labels) {
        if (t.equals("all()") || t.isEmpty()) {
            return true;
        }
        if (t.equals("!all()")) {
            return false;
        }
        Matcher m = EQ.matcher(t);
        if (m.matches()) {
            boolean equal = m.group(3).equals(labels.get(m.group(1)));
            return m.group(2).equals("==") == equal;
        }
        m = HAS.matcher(t);
        if (m.matches()) {
            return m.group(1).isEmpty() == labels.containsKey(m.group(2));
        }
        return false;
    }
}
