package io.jenkins.plugins.kubeplatform.standin;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The public/protected API of a class as comparable text lines: its declaration (kind, modifiers, type parameters
 * with bounds, superclass, interfaces) and one line per public or protected field, constructor and method
 * (modifiers, type parameters, generic return and parameter types, checked exceptions). Lines are sorted.
 */
final class Signatures {

    private Signatures() {
    }

    static List<String> of(Class<?> c) {
        List<String> lines = new ArrayList<>();
        lines.add("declaration " + declaration(c));
        for (Field f : c.getDeclaredFields()) {
            if (visible(f.getModifiers()) && !f.isSynthetic()) {
                lines.add("field " + modifiers(f.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED
                        | Modifier.STATIC | Modifier.FINAL | Modifier.TRANSIENT | Modifier.VOLATILE))
                        + f.getGenericType().getTypeName() + " " + f.getName());
            }
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (visible(k.getModifiers()) && !k.isSynthetic()) {
                lines.add("constructor " + modifiers(k.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED))
                        + typeParameters(k.getTypeParameters()) + "<init>" + parameters(k) + exceptions(k));
            }
        }
        for (Method m : c.getDeclaredMethods()) {
            if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                String mods = modifiers(m.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC
                        | Modifier.FINAL | Modifier.ABSTRACT));
                if (m.isDefault()) {
                    mods += "default ";
                }
                String defaultValue = m.getDefaultValue() == null ? "" : " default " + value(m.getDefaultValue());
                lines.add("method " + mods + typeParameters(m.getTypeParameters())
                        + m.getGenericReturnType().getTypeName() + " " + m.getName() + parameters(m) + exceptions(m)
                        + defaultValue);
            }
        }
        lines.sort(null);
        return lines;
    }

    private static String declaration(Class<?> c) {
        int mods = c.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC | Modifier.FINAL
                | Modifier.ABSTRACT);
        String kind;
        if (c.isAnnotation()) {
            kind = "@interface";
            mods &= ~(Modifier.ABSTRACT | Modifier.STATIC);
        } else if (c.isInterface()) {
            kind = "interface";
            mods &= ~(Modifier.ABSTRACT | Modifier.STATIC);
        } else if (c.isEnum()) {
            kind = "enum";
            mods &= ~(Modifier.FINAL | Modifier.STATIC);
        } else {
            kind = "class";
        }
        StringBuilder s = new StringBuilder(modifiers(mods)).append(kind).append(' ').append(c.getName());
        s.append(typeParameters(c.getTypeParameters()).stripTrailing());
        if (!c.isInterface() && !c.isEnum()) {
            s.append(" extends ").append(c.getGenericSuperclass().getTypeName());
        }
        Type[] interfaces = c.getGenericInterfaces();
        if (interfaces.length > 0 && !c.isAnnotation()) {
            s.append(c.isInterface() ? " extends " : " implements ").append(Arrays.stream(interfaces)
                    .map(Type::getTypeName).collect(Collectors.joining(", ")));
        }
        if (c.isAnnotation()) {
            s.append(Arrays.stream(c.getDeclaredAnnotations()).map(a -> " " + a)
                    .sorted().collect(Collectors.joining()));
        }
        return s.toString();
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String modifiers(int modifiers) {
        String s = Modifier.toString(modifiers);
        return s.isEmpty() ? "" : s + " ";
    }

    private static String typeParameters(TypeVariable<?>[] variables) {
        if (variables.length == 0) {
            return "";
        }
        return Arrays.stream(variables).map(v -> {
            List<String> bounds = Arrays.stream(v.getBounds()).map(Type::getTypeName)
                    .filter(b -> !b.equals("java.lang.Object")).toList();
            return bounds.isEmpty() ? v.getName() : v.getName() + " extends " + String.join(" & ", bounds);
        }).collect(Collectors.joining(", ", "<", "> "));
    }

    private static String parameters(Executable e) {
        List<String> types = new ArrayList<>(Arrays.stream(e.getGenericParameterTypes()).map(Type::getTypeName)
                .toList());
        if (e.isVarArgs()) {
            String last = types.remove(types.size() - 1);
            types.add(last.substring(0, last.length() - 2) + "...");
        }
        return types.stream().collect(Collectors.joining(", ", "(", ")"));
    }

    private static String exceptions(Executable e) {
        Type[] thrown = e.getGenericExceptionTypes();
        if (thrown.length == 0) {
            return "";
        }
        return Arrays.stream(thrown).map(Type::getTypeName).sorted().collect(Collectors.joining(", ", " throws ", ""));
    }

    private static String value(Object v) {
        if (v instanceof Object[] array) {
            return Arrays.toString(array);
        }
        return String.valueOf(v);
    }
}
