package io.jenkins.plugins.kubeplatform.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The real Jenkins API as recorded in {@code jenkins-api/src/test/resources/real-signatures.txt}, reduced to what
 * the JVM links against: per type its kind, finality, erased superclass and interfaces, and its members by name and
 * erased descriptor (generic types replaced by the erasure of their first bound, as javac does).
 */
final class RecordedJenkinsApi {

    /** Where the records live, relative to the plugin module (tests run with the module as working directory). */
    static final Path RECORDS = Path.of("..", "jenkins-api", "src", "test", "resources", "real-signatures.txt");

    private static final Set<String> MODIFIERS = Set.of("public", "protected", "private", "static", "final",
            "abstract", "default", "synchronized", "native", "strictfp", "transient", "volatile");

    /** One recorded member; {@code key} is {@code name + descriptor}. */
    record Member(String key, boolean isStatic, boolean isFinal, boolean isProtected, String line) {
    }

    /** One recorded type (internal names, e.g. {@code hudson/model/Run}). */
    record Type(String name, boolean isInterface, boolean isFinal, String superName, List<String> interfaces,
            Map<String, Member> methods, Map<String, Member> fields) {
    }

    private final Map<String, Type> types;

    private RecordedJenkinsApi(Map<String, Type> types) {
        this.types = types;
    }

    static RecordedJenkinsApi load(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Parses the record format of {@code real-signatures.txt} (see {@code RealSignatures} in jenkins-api). */
    static RecordedJenkinsApi parse(String text) {
        Map<String, Type> types = new LinkedHashMap<>();
        List<String> block = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("type ") && !block.isEmpty()) {
                Type t = type(block);
                types.put(t.name(), t);
                block.clear();
            }
            block.add(line);
        }
        if (!block.isEmpty()) {
            Type t = type(block);
            types.put(t.name(), t);
        }
        return new RecordedJenkinsApi(types);
    }

    Optional<Type> type(String internalName) {
        return Optional.ofNullable(types.get(internalName));
    }

    boolean isRecorded(String internalName) {
        return types.containsKey(internalName);
    }

    private static Type type(List<String> block) {
        String name = block.get(0).substring("type ".length()).strip().replace('.', '/');
        String declaration = block.stream().filter(l -> l.startsWith("declaration ")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no declaration line for " + name));
        Declaration d = declaration(declaration.substring("declaration ".length()));
        if (!d.name().equals(name)) {
            throw new IllegalArgumentException("declaration of " + d.name() + " in the block of " + name);
        }
        Map<String, Member> methods = new LinkedHashMap<>();
        Map<String, Member> fields = new LinkedHashMap<>();
        for (String line : block) {
            if (line.startsWith("method ")) {
                Member m = method(line, line.substring("method ".length()), d.typeVariables());
                methods.put(m.key(), m);
            } else if (line.startsWith("constructor ")) {
                Member m = constructor(line, line.substring("constructor ".length()), d.typeVariables());
                methods.put(m.key(), m);
            } else if (line.startsWith("field ")) {
                Member f = field(line, line.substring("field ".length()), d.typeVariables());
                fields.put(f.key(), f);
            }
        }
        return new Type(name, d.isInterface(), d.isFinal(), d.superName(), d.interfaces(), methods, fields);
    }

    private record Declaration(String name, boolean isInterface, boolean isFinal, String superName,
            List<String> interfaces, Map<String, String> typeVariables) {
    }

    private static Declaration declaration(String text) {
        Cursor c = new Cursor(text);
        List<String> mods = new ArrayList<>();
        String kind = null;
        while (kind == null) {
            String token = c.token();
            switch (token) {
                case "class", "interface", "enum", "@interface" -> kind = token;
                default -> mods.add(token);
            }
        }
        String name = c.name();
        Map<String, String> vars = c.peek('<') ? typeVariables(c.balanced(), Map.of()) : Map.of();
        String superName = "java/lang/Object";
        List<String> interfaces = new ArrayList<>();
        switch (kind) {
            case "enum" -> superName = "java/lang/Enum";
            case "@interface" -> interfaces.add("java/lang/annotation/Annotation");
            default -> {
            }
        }
        if (!kind.equals("@interface")) {
            while (c.more()) {
                String keyword = c.token();
                List<String> list = new ArrayList<>();
                do {
                    list.add(internal(c.type(), vars));
                } while (c.comma());
                if (keyword.equals("extends") && kind.equals("class")) {
                    superName = list.get(0);
                } else if (keyword.equals("extends") || keyword.equals("implements")) {
                    interfaces.addAll(list);
                } else {
                    throw new IllegalArgumentException("unexpected '" + keyword + "' in declaration " + text);
                }
            }
        }
        boolean isInterface = kind.equals("interface") || kind.equals("@interface");
        boolean isFinal = mods.contains("final") || kind.equals("enum");
        return new Declaration(name.replace('.', '/'), isInterface, isFinal, superName, interfaces, vars);
    }

    private static Member method(String line, String text, Map<String, String> classVars) {
        Cursor c = new Cursor(text);
        List<String> mods = new ArrayList<>();
        Map<String, String> vars = classVars;
        String returnType = null;
        while (returnType == null) {
            if (c.peek('<')) {
                vars = typeVariables(c.balanced(), classVars);
                continue;
            }
            String token = c.type();
            if (MODIFIERS.contains(token)) {
                mods.add(token);
            } else {
                returnType = token;
            }
        }
        String name = c.name();
        String descriptor = parameters(c, vars) + descriptor(returnType, vars);
        return new Member(name + descriptor, mods.contains("static"), mods.contains("final"),
                mods.contains("protected"), line);
    }

    private static Member constructor(String line, String text, Map<String, String> classVars) {
        int at = text.indexOf("<init>(");
        if (at < 0) {
            throw new IllegalArgumentException("constructor without <init>: " + line);
        }
        Map<String, String> vars = classVars;
        String prefix = text.substring(0, at).strip();
        int generic = prefix.indexOf('<');
        if (generic >= 0) {
            vars = typeVariables(new Cursor(prefix.substring(generic)).balanced(), classVars);
        }
        Cursor c = new Cursor(text.substring(at + "<init>".length()));
        return new Member("<init>" + parameters(c, vars) + "V", false, false, prefix.contains("protected"), line);
    }

    private static Member field(String line, String text, Map<String, String> vars) {
        Cursor c = new Cursor(text);
        List<String> mods = new ArrayList<>();
        String type;
        while (true) {
            String token = c.type();
            if (!MODIFIERS.contains(token)) {
                type = token;
                break;
            }
            mods.add(token);
        }
        String name = c.name();
        return new Member(name + ":" + descriptor(type, vars), mods.contains("static"), mods.contains("final"),
                mods.contains("protected"), line);
    }

    private static String parameters(Cursor c, Map<String, String> vars) {
        String inside = c.balanced();
        StringBuilder d = new StringBuilder("(");
        for (String p : splitTopLevel(inside.substring(1, inside.length() - 1), ',')) {
            if (!p.isBlank()) {
                d.append(descriptor(p.strip(), vars));
            }
        }
        return d.append(')').toString();
    }

    /** Type variables of a {@code <...>} list, each mapped to the descriptor of the erasure of its first bound. */
    private static Map<String, String> typeVariables(String list, Map<String, String> outer) {
        Map<String, String> vars = new HashMap<>(outer);
        List<String[]> declared = new ArrayList<>();
        for (String v : splitTopLevel(list.substring(1, list.length() - 1), ',')) {
            String[] parts = v.strip().split("\\s+extends\\s+", 2);
            declared.add(parts);
            vars.put(parts[0], "Ljava/lang/Object;");
        }
        for (String[] parts : declared) {
            if (parts.length == 2) {
                vars.put(parts[0], descriptor(splitTopLevel(parts[1], '&').get(0).strip(), vars));
            }
        }
        return vars;
    }

    /** The erased descriptor of a source-like type name: {@code java.util.List<T>[]} becomes {@code [Ljava/util/List;}. */
    static String descriptor(String type, Map<String, String> vars) {
        String t = type.strip();
        StringBuilder dims = new StringBuilder();
        if (t.endsWith("...")) {
            dims.append('[');
            t = t.substring(0, t.length() - 3);
        }
        t = stripGenerics(t);
        while (t.endsWith("[]")) {
            dims.append('[');
            t = t.substring(0, t.length() - 2).strip();
        }
        String base = switch (t) {
            case "void" -> "V";
            case "boolean" -> "Z";
            case "byte" -> "B";
            case "char" -> "C";
            case "short" -> "S";
            case "int" -> "I";
            case "long" -> "J";
            case "float" -> "F";
            case "double" -> "D";
            default -> vars.containsKey(t) ? vars.get(t) : "L" + t.replace('.', '/') + ";";
        };
        return dims + base;
    }

    private static String internal(String type, Map<String, String> vars) {
        String d = descriptor(type, vars);
        return d.substring(1, d.length() - 1);
    }

    private static String stripGenerics(String t) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (char ch : t.toCharArray()) {
            if (ch == '<') {
                depth++;
            } else if (ch == '>') {
                depth--;
            } else if (depth == 0) {
                out.append(ch);
            }
        }
        return out.toString().strip();
    }

    private static List<String> splitTopLevel(String s, char separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '<' || ch == '(') {
                depth++;
            } else if (ch == '>' || ch == ')') {
                depth--;
            } else if (ch == separator && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    /** Reads a record line left to right, keeping {@code <...>} and {@code (...)} groups together. */
    private static final class Cursor {
        private final String s;
        private int i;

        Cursor(String s) {
            this.s = s;
        }

        private void skipSpaces() {
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
        }

        boolean more() {
            skipSpaces();
            return i < s.length();
        }

        boolean peek(char ch) {
            skipSpaces();
            return i < s.length() && s.charAt(i) == ch;
        }

        boolean comma() {
            skipSpaces();
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
                return true;
            }
            return false;
        }

        /** A word up to the next space. */
        String token() {
            skipSpaces();
            int start = i;
            while (i < s.length() && s.charAt(i) != ' ') {
                i++;
            }
            return s.substring(start, i);
        }

        /** A type: a name with its generic arguments and array brackets, up to a space or comma outside them. */
        String type() {
            skipSpaces();
            int start = i;
            int depth = 0;
            while (i < s.length()) {
                char ch = s.charAt(i);
                if (ch == '<') {
                    depth++;
                } else if (ch == '>') {
                    depth--;
                } else if ((ch == ' ' || ch == ',') && depth == 0) {
                    break;
                }
                i++;
            }
            return s.substring(start, i);
        }

        /** An identifier up to {@code (}, {@code <}, a space or the end. */
        String name() {
            skipSpaces();
            int start = i;
            while (i < s.length() && "(< ".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            return s.substring(start, i);
        }

        /** A balanced {@code <...>} or {@code (...)} group, delimiters included. */
        String balanced() {
            skipSpaces();
            char open = s.charAt(i);
            char close = open == '<' ? '>' : ')';
            int start = i;
            int depth = 0;
            do {
                char ch = s.charAt(i);
                if (ch == open) {
                    depth++;
                } else if (ch == close) {
                    depth--;
                }
                i++;
            } while (depth > 0);
            return s.substring(start, i);
        }
    }
}
