package io.microcanary.infrastructure;

import io.microcanary.localstores.StoreKind;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dev stack's command line: store ports, databases to create, where to write the env, where stop/start requests
 * for one store arrive ({@link StoreControl}). A port given is used as it
 * is (0 = any free port); a store without one gets its standard port when that is free, else any free port.
 */
record DevStackOptions(Map<StoreKind, Integer> ports, List<String> databases, Path envFile, Path controlDirectory) {

    static final String USAGE = "usage: dev-stack [--postgres-port N] [--redis-port N] [--mongo-port N] "
            + "[--databases a,b] [--env-file FILE] [--control-dir DIR]";

    static DevStackOptions parse(String... args) {
        Map<StoreKind, Integer> ports = new EnumMap<>(StoreKind.class);
        List<String> databases = List.of("addressbook");
        Path envFile = null;
        Path controlDirectory = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--postgres-port" -> ports.put(StoreKind.POSTGRES, port(option, value));
                case "--redis-port" -> ports.put(StoreKind.REDIS, port(option, value));
                case "--mongo-port" -> ports.put(StoreKind.MONGO, port(option, value));
                case "--databases" -> databases = Arrays.stream(value.split(",")).map(String::strip)
                        .filter(name -> !name.isEmpty()).toList();
                case "--env-file" -> envFile = Path.of(value);
                case "--control-dir" -> controlDirectory = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new DevStackOptions(Map.copyOf(ports), databases, envFile, controlDirectory);
    }

    /** The port asked for on the command line, if any. */
    Optional<Integer> portFor(StoreKind kind) {
        return Optional.ofNullable(ports.get(kind));
    }

    private static int port(String option, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a port number (0 for any free port), was '" + value + "'");
        }
    }
}
