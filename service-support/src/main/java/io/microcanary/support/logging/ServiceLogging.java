package io.microcanary.support.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.util.Map;

/**
 * The services' one log format, set up in code: what {@code logback.xml} (beside this class's jar) says, without
 * logback's XML configurator (Joran), which took a tenth of a service's start-up on its main thread (a profile of
 * adderservice: ~11% of the main thread's CPU, ahead of any bean). Logback finds it as a service
 * ({@code META-INF/services/ch.qos.logback.classic.spi.Configurator}) before it looks for XML.
 *
 * <p>It steps aside, and logback reads XML as before, when {@code -Dlogback.configurationFile} names a file, or a
 * {@code logback-test.xml} is on the class path (every module's tests, from test-support). {@code ServiceLoggingTest}
 * checks that this class and {@code logback.xml} say the same.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class ServiceLogging extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";
    static final Level ROOT_LEVEL = Level.INFO;
    /** Loggers set apart from the root's level: HikariPool logs every failed connection attempt as a WARN stack. */
    static final Map<String, Level> LEVELS = Map.of("com.zaxxer.hikari.pool.HikariPool", Level.ERROR);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (xmlAsked()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Whether logback should read XML instead: a file named by the system property, or a test's configuration. */
    static boolean xmlAsked() {
        return System.getProperty("logback.configurationFile") != null
                || ServiceLogging.class.getClassLoader().getResource("logback-test.xml") != null;
    }

    /** One console appender on the root logger with the pattern, and the levels. */
    static void apply(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(ROOT_LEVEL);
        root.addAppender(console);
    }
}
