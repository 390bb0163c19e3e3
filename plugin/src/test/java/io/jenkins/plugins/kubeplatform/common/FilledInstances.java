package io.jenkins.plugins.kubeplatform.common;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sun.misc.Unsafe;

/**
 * Instances of persisted plugin types with every field set to a distinct non-default value and every list and map
 * holding two filled elements, built without constructors or setters (a global configuration's constructor loads and
 * its setters save, which needs a running Jenkins). A field added later is filled too, so the round trip covers it.
 */
public final class FilledInstances {

    private static final Unsafe UNSAFE = unsafe();
    private int counter;

    public <T> T of(Class<T> type) {
        return type.cast(value(type, null, type.getSimpleName()));
    }

    private Object value(Class<?> type, Type generic, String name) {
        counter++;
        if (type == String.class) {
            return name + "-" + counter;
        }
        if (type == int.class || type == Integer.class) {
            return 100 + counter;
        }
        if (type == long.class || type == Long.class) {
            return 1_000_000L + counter;
        }
        if (type == boolean.class || type == Boolean.class) {
            return true;
        }
        if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            return constants[constants.length - 1];
        }
        if (List.class.isAssignableFrom(type)) {
            Class<?> element = argument(generic, 0);
            List<Object> list = new ArrayList<>();
            list.add(value(element, null, name));
            list.add(value(element, null, name));
            return list;
        }
        if (Map.class.isAssignableFrom(type)) {
            Map<Object, Object> map = new LinkedHashMap<>();
            map.put(value(argument(generic, 0), null, name + "-key"), value(argument(generic, 1), null, name));
            map.put(value(argument(generic, 0), null, name + "-key"), value(argument(generic, 1), null, name));
            return map;
        }
        if (type.isRecord()) {
            RecordComponent[] components = type.getRecordComponents();
            Object[] args = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                args[i] = value(types[i], components[i].getGenericType(), components[i].getName());
            }
            try {
                var constructor = type.getDeclaredConstructor(types);
                constructor.setAccessible(true);
                return constructor.newInstance(args);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        if (!type.getName().startsWith("io.jenkins.plugins.kubeplatform.")) {
            throw new IllegalArgumentException("no filler for " + type.getName() + " (field " + name + ")");
        }
        try {
            Object instance = UNSAFE.allocateInstance(type);
            for (Class<?> c = type; c != null && c.getName().startsWith("io.jenkins.plugins.kubeplatform."); c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || Modifier.isTransient(f.getModifiers())) {
                        continue;
                    }
                    Object v = value(f.getType(), f.getGenericType(), f.getName());
                    set(instance, f, v);
                }
            }
            return instance;
        } catch (InstantiationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void set(Object instance, Field f, Object v) {
        long offset = UNSAFE.objectFieldOffset(f);
        Class<?> t = f.getType();
        if (t == int.class) {
            UNSAFE.putInt(instance, offset, (Integer) v);
        } else if (t == long.class) {
            UNSAFE.putLong(instance, offset, (Long) v);
        } else if (t == boolean.class) {
            UNSAFE.putBoolean(instance, offset, (Boolean) v);
        } else {
            UNSAFE.putObject(instance, offset, v);
        }
    }

    private static Class<?> argument(Type generic, int index) {
        if (generic instanceof ParameterizedType p && p.getActualTypeArguments()[index] instanceof Class<?> c) {
            return c;
        }
        return String.class;
    }

    private static Unsafe unsafe() {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
