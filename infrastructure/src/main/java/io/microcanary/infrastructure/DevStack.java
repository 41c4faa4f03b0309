package io.microcanary.infrastructure;

import io.microcanary.commandline.ToolArguments;
import io.microcanary.localstores.PostgresRoles;
import io.microcanary.localstores.StoreAddress;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.StoreServer;
import io.microcanary.localstores.Stores;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Starts PostgreSQL, Redis and MongoDB for local runs (embedded, or the servers named by {@code POSTGRES_URL},
 * {@code REDIS_URL}, {@code MONGO_URL}), creates the services' databases with an owner and an app role each, prints
 * where everything is and writes it as shell variables for {@code run-local.sh}. Runs until interrupted, then stops what it started.
 */
public final class DevStack implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<StoreServer> servers;
    private final List<PostgresRoles.Database> databases = new ArrayList<>();

    private DevStack(List<StoreServer> servers) {
        this.servers = servers;
    }

    public static DevStack start(DevStackOptions options, PrintStream progress) {
        List<StoreServer> started = new ArrayList<>();
        List<String> moved = new ArrayList<>();
        try {
            for (StoreKind kind : StoreKind.values()) {
                progress.println("starting " + kind.id() + " ...");
                int port = options.portFor(kind).orElse(kind.standardPort());
                boolean standardTaken = options.portFor(kind).isEmpty() && !Stores.external(kind) && !free(port);
                StoreServer server = Stores.start(kind, standardTaken ? 0 : port);
                started.add(server);
                progress.printf("%-9s %-40s %s%n", kind.id(), server.url(), server.origin());
                if (standardTaken) {
                    moved.add(kind.id() + " on " + server.address().port() + " (not " + port + ")");
                }
            }
            if (!moved.isEmpty()) {
                // one line, so a developer with their own servers on the standard ports sees at once where ours are
                progress.println("standard ports in use, so " + String.join(", ", moved));
            }
            DevStack stack = new DevStack(started);
            stack.createDatabases(options.databases());
            return stack;
        } catch (RuntimeException e) {
            started.forEach(StoreServer::close);
            throw e;
        }
    }

    /** Whether nothing listens on {@code port} of any local address. */
    static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public StoreServer server(StoreKind kind) {
        return servers.stream().filter(s -> s.address().kind() == kind).findFirst().orElseThrow();
    }

    /**
     * Each database gets the cluster's two roles ({@link PostgresRoles}): {@code <db>_owner} for migrations and
     * {@code <db>_app} for the service, with passwords new each start, so local runs hit the same grants as the cluster.
     */
    private void createDatabases(List<String> databases) {
        StoreAddress postgres = server(StoreKind.POSTGRES).address();
        for (String database : databases) {
            this.databases.add(PostgresRoles.bootstrap(postgres, database, randomPassword(), randomPassword()));
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The addresses as shell assignments, e.g. {@code POSTGRES_PORT='5432'}, for {@code source}. */
    public String environment() {
        StoreAddress postgres = server(StoreKind.POSTGRES).address();
        List<String> lines = new ArrayList<>(List.of(
                assignment("POSTGRES_HOST", postgres.host()),
                assignment("POSTGRES_PORT", String.valueOf(postgres.port())),
                assignment("POSTGRES_USER", postgres.user()),
                assignment("POSTGRES_PASSWORD", postgres.password())));
        // per database, e.g. ADDRESSBOOK_DB_APP_USER='addressbook_app'; run-local.sh hands them to the service
        for (PostgresRoles.Database database : databases) {
            String prefix = database.app().database().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_DB_";
            lines.add(assignment(prefix + "OWNER_USER", database.owner().name()));
            lines.add(assignment(prefix + "OWNER_PASSWORD", database.owner().password()));
            lines.add(assignment(prefix + "APP_USER", database.app().user()));
            lines.add(assignment(prefix + "APP_PASSWORD", database.app().password()));
        }
        lines.add(assignment("REDIS_URI", server(StoreKind.REDIS).url()));
        lines.add(assignment("MONGODB_URI", server(StoreKind.MONGO).url()));
        return String.join("\n", lines) + "\n";
    }

    private static String assignment(String name, String value) {
        return name + "='" + value.replace("'", "'\\''") + "'";
    }

    @Override
    public void close() {
        servers.forEach(StoreServer::close);
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        DevStackOptions.Arguments arguments = new DevStackOptions.Arguments();
        ToolArguments commandLine = new ToolArguments(arguments);
        try {
            if (!commandLine.parse(args)) {
                System.out.print(commandLine.usage());
                return;
            }
        } catch (ToolArguments.UsageError e) {
            System.err.println("dev-stack: " + e.getMessage());
            System.err.print(commandLine.usage());
            System.exit(2);
            return;
        }
        DevStackOptions options = arguments.options();
        DevStack stack;
        try {
            stack = start(options, System.out);
        } catch (RuntimeException e) {
            System.err.println("dev-stack: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "dev-stack-stop"));
        if (options.envFile() != null) {
            Path temporary = options.envFile().resolveSibling(options.envFile().getFileName() + ".tmp");
            Files.writeString(temporary, stack.environment());
            Files.move(temporary, options.envFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        if (options.controlDirectory() != null) {
            StoreControl.serve(options.controlDirectory(), stack, System.out);
        }
        System.out.println("dev stack ready (Ctrl-C stops it)");
        stopped.await();
    }
}
