package io.microcanary.infrastructure;

import io.microcanary.commandline.ToolArguments;
import io.microcanary.commandline.WholeNumbers;
import io.microcanary.localstores.StoreKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

    /** The options as {@link DevStack#main} reads them (without the help). */
    static DevStackOptions parse(String... args) {
        Arguments arguments = new Arguments();
        new ToolArguments(arguments).parse(args);
        return arguments.options();
    }

    /** The port asked for on the command line, if any. */
    Optional<Integer> portFor(StoreKind kind) {
        return Optional.ofNullable(ports.get(kind));
    }

    @Command(name = "dev-stack", synopsisHeading = "usage: ", sortOptions = false, sortSynopsis = false,
            footer = {"A store without a port option takes its standard port when that is free, else any free port.",
                    "A store whose URL is set (POSTGRES_URL, REDIS_URL, MONGO_URL) is used as it is and not started."})
    static final class Arguments {

        @Option(names = "--postgres-port", paramLabel = "N", converter = WholeNumbers.Port.class,
                description = "PostgreSQL's port (0 for any free port)")
        Integer postgresPort;

        @Option(names = "--redis-port", paramLabel = "N", converter = WholeNumbers.Port.class,
                description = "Redis's port (0 for any free port)")
        Integer redisPort;

        @Option(names = "--mongo-port", paramLabel = "N", converter = WholeNumbers.Port.class,
                description = "MongoDB's port (0 for any free port)")
        Integer mongoPort;

        @Option(names = "--databases", paramLabel = "a,b", defaultValue = "addressbook",
                description = "PostgreSQL databases to create, each with an owner and an app role "
                        + "(default ${DEFAULT-VALUE})")
        String databases;

        @Option(names = "--env-file", paramLabel = "FILE",
                description = "write where everything is to FILE as shell variables")
        Path envFile;

        @Option(names = "--control-dir", paramLabel = "DIR",
                description = "answer requests to stop or start one store that arrive in DIR")
        Path controlDirectory;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
        boolean help;

        DevStackOptions options() {
            Map<StoreKind, Integer> ports = new EnumMap<>(StoreKind.class);
            Optional.ofNullable(postgresPort).ifPresent(port -> ports.put(StoreKind.POSTGRES, port));
            Optional.ofNullable(redisPort).ifPresent(port -> ports.put(StoreKind.REDIS, port));
            Optional.ofNullable(mongoPort).ifPresent(port -> ports.put(StoreKind.MONGO, port));
            List<String> names = Arrays.stream(databases.split(",")).map(String::strip)
                    .filter(name -> !name.isEmpty()).toList();
            return new DevStackOptions(Map.copyOf(ports), names, envFile, controlDirectory);
        }
    }
}
