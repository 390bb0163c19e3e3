package io.jenkins.plugins.kubeplatform.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Binds a YAML mapping onto the plugin's data-bound classes the way Configuration as Code does: a global
 * configuration's keys go to its {@code @DataBoundSetter}s; a nested {@code Describable} is made with its
 * {@code @DataBoundConstructor} (parameters by name, absent ones null, 0 or false), then the remaining keys go to its
 * setters; lists of nested classes are YAML lists of mappings, typed by the parameter's generic type; scalars are
 * converted to the parameter's type. A key that matches no parameter or setter is an error, as in JCasC's default
 * ({@code reject}) handling of unknown attributes.
 */
public final class CascBinding {

    private CascBinding() {
    }

    /** Calls the data-bound setters of {@code target} (an existing global configuration) with {@code node}'s keys. */
    public static void configure(Object target, JsonNode node, String path) {
        requireMapping(node, path);
        setters(target, node, path, Set.of());
    }

    /** A new instance of {@code type} from {@code node}: data-bound constructor, then setters. */
    public static <T> T instantiate(Class<T> type, JsonNode node, String path) {
        requireMapping(node, path);
        Constructor<?> ctor = null;
        for (Constructor<?> c : type.getConstructors()) {
            if (c.isAnnotationPresent(DataBoundConstructor.class)) {
                ctor = c;
            }
        }
        if (ctor == null) {
            throw new IllegalArgumentException(path + ": " + type.getName() + " has no @DataBoundConstructor");
        }
        Parameter[] params = ctor.getParameters();
        Object[] args = new Object[params.length];
        Set<String> used = new LinkedHashSet<>();
        for (int i = 0; i < params.length; i++) {
            if (!params[i].isNamePresent()) {
                throw new IllegalStateException(type.getName() + " compiled without -parameters");
            }
            String name = params[i].getName();
            JsonNode value = node.get(name);
            used.add(name);
            args[i] = value == null || value.isNull() ? absent(params[i].getType())
                    : convert(params[i].getParameterizedType(), value, path + "." + name);
        }
        Object instance;
        try {
            instance = ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(path + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        setters(instance, node, path, used);
        return type.cast(instance);
    }

    private static void setters(Object target, JsonNode node, String path, Set<String> done) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (done.contains(key)) {
                continue;
            }
            Method setter = setter(target.getClass(), key);
            if (setter == null) {
                throw new IllegalArgumentException(path + "." + key + ": " + target.getClass().getSimpleName()
                        + " has no data-bound constructor parameter or setter of that name");
            }
            JsonNode value = node.get(key);
            Object arg = value.isNull() ? absent(setter.getParameterTypes()[0])
                    : convert(setter.getGenericParameterTypes()[0], value, path + "." + key);
            try {
                setter.invoke(target, arg);
            } catch (InvocationTargetException e) {
                throw new IllegalArgumentException(path + "." + key + ": " + e.getCause(), e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Method setter(Class<?> type, String key) {
        String name = "set" + Character.toUpperCase(key.charAt(0)) + key.substring(1);
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 1 && m.isAnnotationPresent(DataBoundSetter.class)) {
                return m;
            }
        }
        return null;
    }

    private static Object convert(Type type, JsonNode value, String path) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            if (!value.isArray()) {
                throw new IllegalArgumentException(path + ": must be a list");
            }
            List<Object> out = new ArrayList<>();
            int i = 0;
            for (JsonNode item : value) {
                out.add(convert(p.getActualTypeArguments()[0], item, path + "[" + i++ + "]"));
            }
            return out;
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class || c == int.class || c == Integer.class || c == boolean.class || c == Boolean.class
                || c == double.class || c == Double.class) {
            if (!value.isValueNode()) {
                throw new IllegalArgumentException(path + ": must be a single value, not " + value.getNodeType());
            }
            String text = value.asText();
            if (c == String.class) {
                return text;
            }
            if (c == int.class || c == Integer.class) {
                return Integer.parseInt(text.trim());
            }
            if (c == double.class || c == Double.class) {
                return Double.parseDouble(text.trim());
            }
            if (!text.equals("true") && !text.equals("false")) {
                throw new IllegalArgumentException(path + ": must be true or false");
            }
            return Boolean.parseBoolean(text);
        }
        return instantiate(c, value, path);
    }

    private static Object absent(Class<?> type) {
        if (type == int.class) {
            return 0;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == double.class) {
            return 0.0;
        }
        return null;
    }

    private static void requireMapping(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(path + ": must be a mapping");
        }
    }
}
