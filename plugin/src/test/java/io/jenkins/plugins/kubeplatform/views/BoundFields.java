package io.jenkins.plugins.kubeplatform.views;

import java.beans.Introspector;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/** The fields Stapler and Pipeline bind on the plugin's classes, found by reflection over the compiled classes. */
final class BoundFields {

    /** One bound field: the class that declares the binding and the field name as forms and Pipeline spell it. */
    record Field(Class<?> owner, String name) {
        /** Where Jenkins looks for the field's help: {@code <class name with / for . and $>/help-<field>.html}. */
        String helpResource(Class<?> c) {
            return c.getName().replace('.', '/').replace('$', '/') + "/help-" + name + ".html";
        }
    }

    private BoundFields() {
    }

    /** Every concrete class below {@code classesRoot} that has a data-bound constructor or data-bound setter. */
    static List<Class<?>> boundClasses(Path classesRoot) throws IOException {
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(classesRoot)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String name = classesRoot.relativize(p).toString().replace('/', '.').replaceFirst("\\.class$", "");
                Class<?> c;
                try {
                    c = Class.forName(name, false, BoundFields.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new IllegalStateException("cannot load " + name, e);
                }
                if (!Modifier.isAbstract(c.getModifiers()) && !fields(c).isEmpty()) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /** The constructor parameters of the data-bound constructor and the properties of the data-bound setters. */
    static List<Field> fields(Class<?> c) {
        List<Field> out = new ArrayList<>();
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (k.isAnnotationPresent(DataBoundConstructor.class)) {
                for (Parameter p : k.getParameters()) {
                    if (!p.isNamePresent()) {
                        throw new IllegalStateException(c.getName() + " compiled without -parameters");
                    }
                    out.add(new Field(c, p.getName()));
                }
            }
        }
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Method m : k.getDeclaredMethods()) {
                if (m.isAnnotationPresent(DataBoundSetter.class) && m.getName().startsWith("set")) {
                    Field f = new Field(c, Introspector.decapitalize(m.getName().substring(3)));
                    if (!out.contains(f)) {
                        out.add(f);
                    }
                }
            }
        }
        return out;
    }
}
