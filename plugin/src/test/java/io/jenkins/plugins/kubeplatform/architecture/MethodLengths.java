package io.jenkins.plugins.kubeplatform.architecture;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The methods and constructors of one Java source and their lengths in lines, from the line of the name to the line
 * of the closing brace, found by a scan of the text with comments and literals blanked (no parser): a block opens a
 * method when the text before it since the last {@code ;}, <code>{</code> or <code>}</code> ends in
 * {@code name(...)} (optionally {@code throws ...}) and the name is not a keyword, a record or a {@code new}.
 */
final class MethodLengths {

    record Method(String name, int line, int lines) {
    }

    private static final Pattern HEADER = Pattern.compile(
            "(?s)(?:^|.*?[^\\w$.])(\\w+\\s+)?([A-Za-z_$][\\w$]*)\\s*\\((?:[^()]|\\([^()]*\\))*\\)\\s*"
                    + "(?:throws\\s+[\\w$.,\\s<>]+)?$");
    private static final Set<String> NOT_METHODS = Set.of("if", "for", "while", "switch", "catch", "synchronized",
            "try", "do", "else", "return", "new", "super", "this");

    private MethodLengths() {
    }

    static List<Method> of(String source) {
        String text = blank(source);
        List<Method> found = new ArrayList<>();
        List<int[]> open = new ArrayList<>(); // {start offset of a method name, or -1}
        int headerStart = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                String header = text.substring(headerStart, i);
                open.add(new int[] {methodNameAt(header, headerStart)});
                headerStart = i + 1;
            } else if (c == '}') {
                if (!open.isEmpty()) {
                    int name = open.remove(open.size() - 1)[0];
                    if (name >= 0) {
                        int first = line(text, name);
                        found.add(new Method(word(text, name), first, line(text, i) - first + 1));
                    }
                }
                headerStart = i + 1;
            } else if (c == ';') {
                headerStart = i + 1;
            }
        }
        return found;
    }

    /** The offset of the method name when {@code header} declares a method or constructor, else -1. */
    private static int methodNameAt(String header, int offset) {
        String trimmed = header.stripTrailing();
        if (!trimmed.endsWith(")") && !trimmed.matches("(?s).*\\)\\s*throws\\s+[\\w$.,\\s<>]+")) {
            return -1;
        }
        Matcher m = HEADER.matcher(trimmed);
        if (!m.matches()) {
            return -1;
        }
        String before = m.group(1) == null ? "" : m.group(1).trim();
        String name = m.group(2);
        if (NOT_METHODS.contains(name) || before.equals("new") || before.equals("record")
                || trimmed.contains("->")) {
            return -1;
        }
        return offset + m.start(2);
    }

    private static String word(String text, int at) {
        int end = at;
        while (end < text.length() && Character.isJavaIdentifierPart(text.charAt(end))) {
            end++;
        }
        return text.substring(at, end);
    }

    private static int line(String text, int offset) {
        int n = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    /** The source with comments, string, text block and char literals replaced by spaces (newlines kept). */
    static String blank(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            int end;
            if (s.startsWith("//", i)) {
                end = s.indexOf('\n', i);
                end = end < 0 ? s.length() : end;
            } else if (s.startsWith("/*", i)) {
                end = s.indexOf("*/", i + 2) + 2;
            } else if (s.startsWith("\"\"\"", i)) {
                end = closing(s, i + 3, "\"\"\"");
            } else if (s.charAt(i) == '"') {
                end = closing(s, i + 1, "\"");
            } else if (s.charAt(i) == '\'') {
                end = closing(s, i + 1, "'");
            } else {
                out.append(s.charAt(i++));
                continue;
            }
            for (int k = i; k < end; k++) {
                out.append(s.charAt(k) == '\n' ? '\n' : ' ');
            }
            i = end;
        }
        return out.toString();
    }

    private static int closing(String s, int from, String quote) {
        int i = from;
        while (!s.startsWith(quote, i)) {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return i + quote.length();
    }
}
