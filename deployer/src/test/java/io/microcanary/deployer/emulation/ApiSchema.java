package io.microcanary.deployer.emulation;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fields an object may carry on the oldest Kubernetes the harness supports, read from the client-java release
 * generated from that version's OpenAPI document ({@code client-java-api} {@value #CLIENT_RELEASE}, which the build
 * copies into the test classes). A real API server refuses a server-side apply that names a field its schema does
 * not declare; the emulation does too, with the same status and text, so an apply body carrying a field that only a
 * newer server knows fails here instead of on a learner's cluster.
 */
final class ApiSchema {

    /** The oldest Kubernetes minor the harness supports; its schema is what the emulation enforces. */
    static final String OLDEST_SUPPORTED = "1.28";
    static final String CLIENT_RELEASE = "20.0.1";
    private static final String JAR = "/k8s-schema/client-java-api.jar";
    private static final String MODELS = "io.kubernetes.client.openapi.models.";

    private static ApiSchema loaded;

    private final ClassLoader models;
    private final Map<Class<?>, Map<String, Type>> fields = new HashMap<>();

    private ApiSchema(ClassLoader models) {
        this.models = models;
    }

    static synchronized ApiSchema oldestSupported() {
        if (loaded == null) {
            loaded = new ApiSchema(new ChildFirst(localCopy(), ApiSchema.class.getClassLoader()));
        }
        return loaded;
    }

    /**
     * The first field of {@code object} (of model {@code kind}, e.g. {@code V1Deployment}) that the schema does not
     * declare, as the API server names it: {@code .spec.template.spec.containers[name="app"].resizePolicy}.
     */
    Optional<String> undeclaredField(String kind, JsonObject object) {
        return check(load(MODELS + kind), object, "");
    }

    /**
     * Drops the fields the schema does not declare, as the API server does with a patch that is not an apply (its
     * default field validation, {@code Warn}), and returns them for the {@code Warning} header.
     */
    List<String> dropUndeclared(String kind, JsonObject object) {
        List<String> dropped = new java.util.ArrayList<>();
        for (Optional<String> field = undeclaredField(kind, object); field.isPresent();
             field = undeclaredField(kind, object)) {
            dropped.add(field.get());
            removeAt(object, field.get());
        }
        return dropped;
    }

    /** Removes the field a path names ({@code [name="x"]} and {@code [3]} select list items). */
    private static void removeAt(JsonObject root, String path) {
        java.util.regex.Matcher steps = java.util.regex.Pattern.compile("\\.([^.\\[]+)|\\[([^\\]]+)]").matcher(path);
        List<String> parts = new java.util.ArrayList<>();
        while (steps.find()) {
            parts.add(steps.group(1) != null ? steps.group(1) : "[" + steps.group(2) + "]");
        }
        JsonElement at = root;
        for (String part : parts.subList(0, parts.size() - 1)) {
            if (part.startsWith("[")) {
                var array = at.getAsJsonArray();
                String key = part.substring(1, part.length() - 1);
                at = key.startsWith("name=") ? array.asList().stream()
                        .filter(item -> item.getAsJsonObject().get("name").toString().equals(key.substring(5)))
                        .findFirst().orElseThrow() : array.get(Integer.parseInt(key));
            } else {
                at = at.getAsJsonObject().get(part);
            }
        }
        at.getAsJsonObject().remove(parts.get(parts.size() - 1));
    }

    private Optional<String> check(Type type, JsonElement value, String path) {
        if (value.isJsonNull()) {
            return Optional.empty();
        }
        if (type instanceof ParameterizedType generic) {
            Type raw = generic.getRawType();
            Type element = generic.getActualTypeArguments()[generic.getActualTypeArguments().length - 1];
            if (raw == List.class && value.isJsonArray()) {
                var array = value.getAsJsonArray();
                for (int i = 0; i < array.size(); i++) {
                    Optional<String> found = check(element, array.get(i), path + elementName(array.get(i), i));
                    if (found.isPresent()) {
                        return found;
                    }
                }
            } else if (raw == Map.class && value.isJsonObject()) {
                for (var entry : value.getAsJsonObject().entrySet()) {
                    Optional<String> found = check(element, entry.getValue(), path + "." + entry.getKey());
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
            return Optional.empty();
        }
        if (type instanceof Class<?> model && model.getName().startsWith(MODELS) && value.isJsonObject()) {
            Map<String, Type> declared = fieldsOf(model);
            for (var entry : value.getAsJsonObject().entrySet()) {
                Type field = declared.get(entry.getKey());
                if (field == null) {
                    return Optional.of(path + "." + entry.getKey());
                }
                Optional<String> found = check(field, entry.getValue(), path + "." + entry.getKey());
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static String elementName(JsonElement element, int index) {
        if (element.isJsonObject() && element.getAsJsonObject().has("name")) {
            return "[name=" + element.getAsJsonObject().get("name") + "]";
        }
        return "[" + index + "]";
    }

    /** JSON name to declared type, from the {@code @SerializedName} of each field of a generated model. */
    private Map<String, Type> fieldsOf(Class<?> model) {
        return fields.computeIfAbsent(model, type -> {
            Map<String, Type> byName = new LinkedHashMap<>();
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                var name = field.getAnnotation(com.google.gson.annotations.SerializedName.class);
                byName.put(name != null ? name.value() : field.getName(), field.getGenericType());
            }
            return byName;
        });
    }

    private Class<?> load(String name) {
        try {
            return Class.forName(name, false, models);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no model " + name + " in client-java-api " + CLIENT_RELEASE, e);
        }
    }

    /** The jar as a file: it sits in target/test-classes here, and inside the deployer's test-jar elsewhere. */
    private static URL localCopy() {
        URL resource = ApiSchema.class.getResource(JAR);
        if (resource == null) {
            throw new IllegalStateException("the Kubernetes " + OLDEST_SUPPORTED + " schema (" + JAR + ") is not on the "
                    + "test class path: build the deployer module with Maven, which copies it there");
        }
        if (resource.getProtocol().equals("file")) {
            return resource;
        }
        try (InputStream in = resource.openStream()) {
            Path copy = Files.createTempFile("client-java-api-" + CLIENT_RELEASE, ".jar");
            copy.toFile().deleteOnExit();
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return copy.toUri().toURL();
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy " + resource, e);
        }
    }

    /** Loads the old release's classes from its own jar, though the test class path holds newer ones of the same names. */
    private static final class ChildFirst extends URLClassLoader {

        ChildFirst(URL jar, ClassLoader parent) {
            super(new URL[]{jar}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("io.kubernetes.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> found = findLoadedClass(name);
                return found != null ? found : findClass(name);
            }
        }
    }
}
