package io.jenkins.plugins.kubeplatform.packaging;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Checks compiled plugin classes against the recorded real Jenkins API, the way the JVM links them: every field,
 * method and constructor a class references in a Jenkins type (directly, or inherited through a plugin class) must
 * be a recorded real member with the same name and erased descriptor, static where the instruction is static, not
 * protected unless the referencing class is a subclass, and every Jenkins type the classes mention must be recorded.
 * A plugin class may not extend a final or interface Jenkins type, implement a Jenkins class, or override a final
 * Jenkins method.
 */
final class JenkinsLinkageCheck {

    /** Packages whose types come from Jenkins core or the plugins the stand-in mirrors. */
    private static final List<String> JENKINS_PACKAGES = List.of("hudson/", "jenkins/", "org/jenkinsci/",
            "com/cloudbees/plugins/credentials/");

    private final RecordedJenkinsApi api;
    private final Map<String, PluginClass> plugin = new LinkedHashMap<>();
    private final Set<String> problems = new TreeSet<>();
    private final Set<String> linked = new TreeSet<>();

    /** A class of the checked plugin: its supertypes and declared members ({@code name+descriptor}, fields with ':'). */
    private record PluginClass(String name, int access, String superName, List<String> interfaces,
            Map<String, Integer> members) {
    }

    /** What the check found: problems (empty when the classes link) and the recorded members they use. */
    record Result(List<String> problems, List<String> linkedMembers) {
    }

    private JenkinsLinkageCheck(RecordedJenkinsApi api) {
        this.api = api;
    }

    /** Checks every {@code .class} file under {@code classesDir}. */
    static Result check(Path classesDir, RecordedJenkinsApi api) throws IOException {
        List<byte[]> classes = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(classesDir)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                classes.add(Files.readAllBytes(p));
            }
        }
        return check(classes, api);
    }

    /** Checks the given class files as one plugin. */
    static Result check(List<byte[]> classFiles, RecordedJenkinsApi api) {
        JenkinsLinkageCheck check = new JenkinsLinkageCheck(api);
        List<ClassReader> readers = classFiles.stream().map(ClassReader::new).toList();
        readers.forEach(check::index);
        readers.forEach(r -> r.accept(check.new References(), ClassReader.SKIP_FRAMES));
        return new Result(List.copyOf(check.problems), List.copyOf(check.linked));
    }

    private void index(ClassReader reader) {
        Map<String, Integer> members = new LinkedHashMap<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature,
                    Object value) {
                members.put(name + ":" + descriptor, access);
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                members.put(name + descriptor, access);
                return null;
            }
        }, ClassReader.SKIP_CODE);
        String[] interfaces = reader.getInterfaces();
        plugin.put(reader.getClassName(), new PluginClass(reader.getClassName(), reader.getAccess(),
                reader.getSuperName(), List.of(interfaces), members));
    }

    private static boolean isJenkinsPackage(String internalName) {
        return JENKINS_PACKAGES.stream().anyMatch(internalName::startsWith);
    }

    /** A type the recorded API must describe: a Jenkins package, or any recorded type (e.g. a stapler stand-in). */
    private boolean isJenkins(String internalName) {
        return !plugin.containsKey(internalName) && (isJenkinsPackage(internalName) || api.isRecorded(internalName));
    }

    private void type(String where, String internalName) {
        if (isJenkins(internalName) && !api.isRecorded(internalName)) {
            problems.add(where + ": uses Jenkins type " + internalName + ", which has no recorded real signature");
        }
    }

    private void typesOf(String where, Type t) {
        switch (t.getSort()) {
            case Type.ARRAY -> typesOf(where, t.getElementType());
            case Type.OBJECT -> type(where, t.getInternalName());
            case Type.METHOD -> {
                typesOf(where, t.getReturnType());
                for (Type a : t.getArgumentTypes()) {
                    typesOf(where, a);
                }
            }
            default -> {
            }
        }
    }

    private void supertypes(PluginClass c) {
        String where = c.name();
        if (c.superName() != null && isJenkins(c.superName())) {
            api.type(c.superName()).ifPresentOrElse(t -> {
                if (t.isInterface()) {
                    problems.add(where + ": extends " + t.name() + ", which is an interface in Jenkins");
                } else if (t.isFinal()) {
                    problems.add(where + ": extends " + t.name() + ", which is final in Jenkins");
                }
            }, () -> type(where, c.superName()));
        }
        for (String i : c.interfaces()) {
            if (isJenkins(i)) {
                api.type(i).ifPresentOrElse(t -> {
                    if (!t.isInterface()) {
                        problems.add(where + ": implements " + t.name() + ", which is a class in Jenkins");
                    }
                }, () -> type(where, i));
            }
        }
        for (Map.Entry<String, Integer> m : c.members().entrySet()) {
            String key = m.getKey();
            if (key.contains(":") || key.startsWith("<") || (m.getValue() & (Opcodes.ACC_STATIC
                    | Opcodes.ACC_PRIVATE)) != 0) {
                continue;
            }
            overriddenFinal(c, key).ifPresent(f -> problems.add(where + "." + key + ": overrides " + f
                    + ", which is final in Jenkins"));
        }
    }

    private Optional<String> overriddenFinal(PluginClass c, String key) {
        Deque<String> todo = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        todo.add(c.superName() == null ? "java/lang/Object" : c.superName());
        todo.addAll(c.interfaces());
        while (!todo.isEmpty()) {
            String name = todo.poll();
            if (!seen.add(name)) {
                continue;
            }
            Optional<RecordedJenkinsApi.Type> t = api.type(name);
            if (t.isPresent()) {
                RecordedJenkinsApi.Member m = t.get().methods().get(key);
                if (m != null && m.isFinal()) {
                    return Optional.of(name + "." + key);
                }
                todo.add(t.get().superName());
                todo.addAll(t.get().interfaces());
            } else if (plugin.containsKey(name)) {
                PluginClass p = plugin.get(name);
                todo.add(p.superName() == null ? "java/lang/Object" : p.superName());
                todo.addAll(p.interfaces());
            }
        }
        return Optional.empty();
    }

    /** Where a member reference resolves, as the JVM would search for it. */
    private enum Found { PLUGIN, RECORDED, LIBRARY, NOWHERE }

    private record Resolution(Found found, RecordedJenkinsApi.Member member, String declaringType,
            boolean passedJenkins) {
    }

    /**
     * Resolves {@code key} (method {@code name+descriptor} or field {@code name:descriptor}) from {@code owner}:
     * the class and its superclasses first, then all superinterfaces, through plugin classes (their class files),
     * recorded Jenkins types (the records) and library types (reflection).
     */
    private Resolution resolve(String owner, String key, boolean constructor) {
        Deque<String> classes = new ArrayDeque<>();
        Deque<String> interfaces = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        classes.add(owner);
        boolean passedJenkins = false;
        while (!classes.isEmpty() || !interfaces.isEmpty()) {
            String name = classes.isEmpty() ? interfaces.poll() : classes.poll();
            if (name == null || !seen.add(name)) {
                continue;
            }
            if (plugin.containsKey(name)) {
                PluginClass p = plugin.get(name);
                if (p.members().containsKey(key)) {
                    return new Resolution(Found.PLUGIN, null, name, passedJenkins);
                }
                if (p.superName() != null) {
                    classes.add(p.superName());
                }
                interfaces.addAll(p.interfaces());
            } else if (isJenkins(name)) {
                passedJenkins = true;
                Optional<RecordedJenkinsApi.Type> t = api.type(name);
                if (t.isEmpty()) {
                    return new Resolution(Found.NOWHERE, null, name, true);
                }
                Map<String, RecordedJenkinsApi.Member> members = key.contains(":") ? t.get().fields()
                        : t.get().methods();
                RecordedJenkinsApi.Member m = members.get(key);
                if (m != null) {
                    return new Resolution(Found.RECORDED, m, name, true);
                }
                // an interface's superclass is Object, whose public methods every interface method lookup sees
                classes.add(t.get().isInterface() ? "java/lang/Object" : t.get().superName());
                interfaces.addAll(t.get().interfaces());
            } else if (library(name, key)) {
                return new Resolution(Found.LIBRARY, null, name, passedJenkins);
            } else {
                Class<?> c = load(name);
                if (c != null) {
                    if (c.getSuperclass() != null) {
                        classes.add(Type.getInternalName(c.getSuperclass()));
                    } else if (c.isInterface()) {
                        classes.add("java/lang/Object");
                    }
                    for (Class<?> i : c.getInterfaces()) {
                        interfaces.add(Type.getInternalName(i));
                    }
                }
            }
            if (constructor) {
                break;
            }
        }
        return new Resolution(Found.NOWHERE, null, owner, passedJenkins);
    }

    private static Class<?> load(String internalName) {
        try {
            return Class.forName(internalName.replace('/', '.'), false, JenkinsLinkageCheck.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** Whether a non-Jenkins class on the test class path declares the (non-private) member itself. */
    private static boolean library(String internalName, String key) {
        Class<?> c = load(internalName);
        if (c == null) {
            return false;
        }
        try {
            if (key.contains(":")) {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isPrivate(f.getModifiers())
                            && key.equals(f.getName() + ":" + Type.getDescriptor(f.getType()))) {
                        return true;
                    }
                }
            } else if (key.startsWith("<init>")) {
                for (Constructor<?> k : c.getDeclaredConstructors()) {
                    if (!Modifier.isPrivate(k.getModifiers())
                            && key.equals("<init>" + Type.getConstructorDescriptor(k))) {
                        return true;
                    }
                }
            } else {
                for (Method m : c.getDeclaredMethods()) {
                    if (!Modifier.isPrivate(m.getModifiers())
                            && key.equals(m.getName() + Type.getMethodDescriptor(m))) {
                        return true;
                    }
                }
            }
        } catch (LinkageError e) {
            return false;
        }
        return false;
    }

    private boolean isSubclass(String type, String ancestor) {
        Deque<String> todo = new ArrayDeque<>(List.of(type));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String name = todo.poll();
            if (name == null || !seen.add(name)) {
                continue;
            }
            if (name.equals(ancestor)) {
                return true;
            }
            if (plugin.containsKey(name)) {
                todo.add(plugin.get(name).superName());
            } else {
                api.type(name).ifPresent(t -> todo.add(t.superName()));
            }
        }
        return false;
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash);
    }

    private void member(String where, String from, String kind, String owner, String key, boolean isStatic,
            boolean ownerIsInterface) {
        if (owner.startsWith("[")) {
            return;
        }
        boolean ownerIsJenkins = isJenkins(owner);
        if (!ownerIsJenkins && !plugin.containsKey(owner)) {
            return;
        }
        if (ownerIsJenkins) {
            api.type(owner).ifPresent(t -> {
                if (t.isInterface() != ownerIsInterface && !key.contains(":")) {
                    problems.add(where + ": " + kind + " " + owner + "." + key + " as " + (ownerIsInterface
                            ? "an interface" : "a class") + " method, but " + owner + " is "
                            + (t.isInterface() ? "an interface" : "a class") + " in Jenkins");
                }
            });
        }
        Resolution r = resolve(owner, key, key.startsWith("<init>"));
        String ref = kind + " " + owner + "." + key;
        switch (r.found()) {
            case RECORDED -> {
                linked.add(r.declaringType().replace('/', '.') + " " + r.member().line());
                if (r.member().isStatic() != isStatic) {
                    problems.add(where + ": " + ref + " is " + (isStatic ? "static" : "an instance member")
                            + " here but " + (r.member().isStatic() ? "static" : "an instance member")
                            + " in Jenkins (" + r.member().line() + ")");
                }
                if (r.member().isProtected() && !isSubclass(from, r.declaringType())
                        && !packageOf(from).equals(packageOf(r.declaringType()))) {
                    problems.add(where + ": " + ref + " is protected in Jenkins and " + from
                            + " is not a subclass of " + r.declaringType());
                }
            }
            case NOWHERE -> {
                if (ownerIsJenkins || r.passedJenkins()) {
                    problems.add(where + ": " + ref + " is not in the recorded real API of " + owner
                            + " or its recorded supertypes");
                }
            }
            default -> {
            }
        }
    }

    /** Visits one plugin class and checks everything it references. */
    private final class References extends ClassVisitor {
        private String name;

        References() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                String[] interfaces) {
            this.name = name;
            supertypes(plugin.get(name));
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            typesOf(name, Type.getType(descriptor));
            return null;
        }

        @Override
        public FieldVisitor visitField(int access, String field, String descriptor, String signature,
                Object value) {
            String where = name + "." + field;
            typesOf(where, Type.getType(descriptor));
            return new FieldVisitor(Opcodes.ASM9) {
                @Override
                public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                    typesOf(where, Type.getType(annotation));
                    return null;
                }
            };
        }

        @Override
        public MethodVisitor visitMethod(int access, String method, String descriptor, String signature,
                String[] exceptions) {
            String where = name + "." + method + descriptor;
            String from = name;
            typesOf(where, Type.getMethodType(descriptor));
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                    typesOf(where, Type.getType(annotation));
                    return null;
                }

                @Override
                public AnnotationVisitor visitParameterAnnotation(int parameter, String annotation,
                        boolean visible) {
                    typesOf(where, Type.getType(annotation));
                    return null;
                }

                @Override
                public void visitTypeInsn(int opcode, String type) {
                    typesOf(where, type.startsWith("[") ? Type.getType(type) : Type.getObjectType(type));
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String field, String fieldDescriptor) {
                    typesOf(where, Type.getType(fieldDescriptor));
                    type(where, owner);
                    boolean isStatic = opcode == Opcodes.GETSTATIC || opcode == Opcodes.PUTSTATIC;
                    member(where, from, opcodeName(opcode), owner, field + ":" + fieldDescriptor, isStatic,
                            false);
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String m, String methodDescriptor,
                        boolean isInterface) {
                    typesOf(where, Type.getMethodType(methodDescriptor));
                    type(where, owner);
                    member(where, from, opcodeName(opcode), owner, m + methodDescriptor,
                            opcode == Opcodes.INVOKESTATIC, isInterface);
                }

                @Override
                public void visitInvokeDynamicInsn(String indy, String indyDescriptor, Handle bootstrap,
                        Object... arguments) {
                    typesOf(where, Type.getMethodType(indyDescriptor));
                    for (Object a : arguments) {
                        constant(a);
                    }
                }

                @Override
                public void visitLdcInsn(Object value) {
                    constant(value);
                }

                @Override
                public void visitMultiANewArrayInsn(String arrayDescriptor, int dimensions) {
                    typesOf(where, Type.getType(arrayDescriptor));
                }

                @Override
                public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                    if (type != null) {
                        type(where, type);
                    }
                }

                private void constant(Object value) {
                    if (value instanceof Type t) {
                        typesOf(where, t);
                    } else if (value instanceof Handle h) {
                        handle(h);
                    }
                }

                private void handle(Handle h) {
                    type(where, h.getOwner());
                    boolean field = h.getTag() <= Opcodes.H_PUTSTATIC;
                    typesOf(where, field ? Type.getType(h.getDesc()) : Type.getMethodType(h.getDesc()));
                    boolean isStatic = h.getTag() == Opcodes.H_GETSTATIC || h.getTag() == Opcodes.H_PUTSTATIC
                            || h.getTag() == Opcodes.H_INVOKESTATIC;
                    member(where, from, "method reference", h.getOwner(),
                            h.getName() + (field ? ":" : "") + h.getDesc(), isStatic, h.isInterface());
                }
            };
        }
    }

    private static String opcodeName(int opcode) {
        return switch (opcode) {
            case Opcodes.GETSTATIC -> "getstatic";
            case Opcodes.PUTSTATIC -> "putstatic";
            case Opcodes.GETFIELD -> "getfield";
            case Opcodes.PUTFIELD -> "putfield";
            case Opcodes.INVOKEVIRTUAL -> "invokevirtual";
            case Opcodes.INVOKESPECIAL -> "invokespecial";
            case Opcodes.INVOKESTATIC -> "invokestatic";
            case Opcodes.INVOKEINTERFACE -> "invokeinterface";
            default -> "opcode " + opcode;
        };
    }
}
