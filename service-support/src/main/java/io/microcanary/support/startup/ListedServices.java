package io.microcanary.support.startup;

import io.micronaut.core.io.service.SoftServiceLoader;
import io.micronaut.core.optim.StaticOptimizations;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Micronaut's services (bean definitions, configurers, converters: {@code META-INF/micronaut/<type>/<class>} entries,
 * and {@code META-INF/services} files) found by reading the jars' entry lists, which the JVM has already read to
 * load classes, instead of Micronaut's way: a zip file system over each jar, which parses the jar's whole central
 * directory again in Java. On a service's shaded jar (11,000+ entries) that took ~8% of the main thread's CPU at
 * start-up (a profile of adderservice on JDK 25 with its AOT cache).
 *
 * <p>Handed to Micronaut as its static service-loading optimization ({@code SoftServiceLoader.Optimizations}, the
 * hook Micronaut AOT's build-time listing uses), through {@code META-INF/services/...StaticOptimizations$Loader}.
 * Every service type is answered here, listed or not, so Micronaut never falls back to its scan. The services are
 * the same ones, created the same way (public no-argument constructor; a class that cannot load is skipped, as
 * Micronaut skips it). A class path entry other than a jar or a directory, or {@code
 * -Dmicro-canary.listed-services=false}, leaves Micronaut's own scan in place.
 */
public final class ListedServices implements StaticOptimizations.Loader<Object> {

    static final String SWITCH = "micro-canary.listed-services";
    private static final String MICRONAUT_SERVICES = "META-INF/micronaut/";
    private static final String STANDARD_SERVICES = "META-INF/services/";
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();
    private static final MethodType NO_ARGUMENTS = MethodType.methodType(void.class);

    @Override
    public Object load() {
        if ("false".equals(System.getProperty(SWITCH))) {
            return new NotListed();
        }
        ClassLoader classLoader = ListedServices.class.getClassLoader();
        try {
            Map<String, Set<String>> listed = micronautServices(classLoader);
            return listed == null ? new NotListed() : new SoftServiceLoader.Optimizations(new Loaders(classLoader, listed));
        } catch (IOException | RuntimeException e) {
            return new NotListed();
        }
    }

    /** What {@code load} returns when Micronaut should scan for itself: an optimization Micronaut never asks for. */
    static final class NotListed {
    }

    /**
     * Service type -> implementation class names, from every {@code META-INF/micronaut/} on the class path, as
     * Micronaut's scan finds them (names starting with a dot skipped); null when one cannot be read here.
     */
    static Map<String, Set<String>> micronautServices(ClassLoader classLoader) throws IOException {
        Map<String, Set<String>> services = new LinkedHashMap<>();
        Enumeration<URL> locations = classLoader.getResources(MICRONAUT_SERVICES);
        while (locations.hasMoreElements()) {
            URL location = locations.nextElement();
            boolean read = switch (location.getProtocol()) {
                case "jar" -> readJar(location, services);
                case "file" -> readDirectory(location, services);
                default -> false;
            };
            if (!read) {
                return null;
            }
        }
        return services;
    }

    private static boolean readJar(URL location, Map<String, Set<String>> services) throws IOException {
        String spec = location.getFile();
        if (spec.indexOf("!/") != spec.lastIndexOf("!/")) {
            return false; // a jar inside a jar
        }
        JarURLConnection connection = (JarURLConnection) location.openConnection();
        connection.setUseCaches(false);
        // the JVM keeps each jar's parsed entry list while its class loader has it open; this shares it
        try (JarFile jar = connection.getJarFile()) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.startsWith(MICRONAUT_SERVICES)) {
                    add(name.substring(MICRONAUT_SERVICES.length()), services);
                }
            }
        }
        return true;
    }

    private static boolean readDirectory(URL location, Map<String, Set<String>> services) throws IOException {
        Path root;
        try {
            root = Path.of(location.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return false;
        }
        try (DirectoryStream<Path> types = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path type : types) {
                try (DirectoryStream<Path> classes = Files.newDirectoryStream(type)) {
                    for (Path implementation : classes) {
                        add(type.getFileName() + "/" + implementation.getFileName(), services);
                    }
                }
            }
        }
        return true;
    }

    /** {@code type/implementation} (a jar's directory entries, {@code type/}, add nothing). */
    private static void add(String typeAndClass, Map<String, Set<String>> services) {
        int slash = typeAndClass.indexOf('/');
        if (slash <= 0 || slash != typeAndClass.lastIndexOf('/')) {
            return;
        }
        String implementation = typeAndClass.substring(slash + 1);
        if (implementation.isEmpty() || implementation.startsWith(".")) {
            return;
        }
        services.computeIfAbsent(typeAndClass.substring(0, slash), type -> new LinkedHashSet<>()).add(implementation);
    }

    /** A loader for every service type Micronaut asks about, listed or not (then only its META-INF/services). */
    private static final class Loaders extends AbstractMap<String, SoftServiceLoader.StaticServiceLoader<?>> {

        private final ClassLoader classLoader;
        private final Map<String, Set<String>> listed;
        private final Map<String, SoftServiceLoader.StaticServiceLoader<?>> loaders = new ConcurrentHashMap<>();

        Loaders(ClassLoader classLoader, Map<String, Set<String>> listed) {
            this.classLoader = classLoader;
            this.listed = listed;
        }

        @Override
        public SoftServiceLoader.StaticServiceLoader<?> get(Object type) {
            if (!(type instanceof String name)) {
                return null;
            }
            return loaders.computeIfAbsent(name, n -> new Listed<>(classLoader, n, listed.getOrDefault(n, Set.of())));
        }

        @Override
        public boolean containsKey(Object type) {
            return type instanceof String;
        }

        @Override
        public Set<Entry<String, SoftServiceLoader.StaticServiceLoader<?>>> entrySet() {
            return loaders.entrySet();
        }
    }

    /** One service type: its META-INF/services entries, then its META-INF/micronaut ones, each created once asked. */
    private record Listed<S>(ClassLoader classLoader, String type, Set<String> micronautEntries)
            implements SoftServiceLoader.StaticServiceLoader<S> {

        @Override
        public Stream<SoftServiceLoader.StaticDefinition<S>> findAll(Predicate<String> condition) {
            Set<String> names = new LinkedHashSet<>(standardEntries());
            names.addAll(micronautEntries);
            return names.stream()
                    .filter(condition)
                    .map(this::definition)
                    .filter(Objects::nonNull);
        }

        private SoftServiceLoader.StaticDefinition<S> definition(String className) {
            S service = create(className);
            return service == null ? null : SoftServiceLoader.StaticDefinition.of(className, () -> service);
        }

        @SuppressWarnings("unchecked")
        private S create(String className) {
            try {
                Class<?> implementation = Class.forName(className, false, classLoader);
                return (S) LOOKUP.findConstructor(implementation, NO_ARGUMENTS).invoke();
            } catch (NoClassDefFoundError | ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
                return null; // an optional dependency that is absent: Micronaut skips these too
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("cannot create the service " + className + " (" + type + ")", e);
            }
        }

        /** The class names of every META-INF/services/TYPE file, as Micronaut reads them ('#' starts a comment). */
        private List<String> standardEntries() {
            Set<String> names = new LinkedHashSet<>();
            try {
                Enumeration<URL> files = classLoader.getResources(STANDARD_SERVICES + type);
                while (files.hasMoreElements()) {
                    try (BufferedReader reader = new BufferedReader(
                            new InputStreamReader(files.nextElement().openStream(), StandardCharsets.UTF_8))) {
                        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                            int comment = line.indexOf('#');
                            String name = (comment < 0 ? line : line.substring(0, comment)).strip();
                            if (!name.isEmpty()) {
                                names.add(name);
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + STANDARD_SERVICES + type, e);
            }
            return List.copyOf(names);
        }
    }
}
