package io.microcanary.support.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceLoggingTest {

    @Test
    void setsUpWhatLogbackXmlSays() throws JoranException {
        LoggerContext fromXml = new LoggerContext();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(fromXml);
        URL xml = ServiceLogging.class.getClassLoader().getResource("logback.xml");
        assertNotNull(xml, "service-support's logback.xml");
        joran.doConfigure(xml);

        LoggerContext inCode = new LoggerContext();
        ServiceLogging.apply(inCode);

        assertEquals(describe(fromXml), describe(inCode));
        assertEquals(Level.INFO, inCode.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
    }

    @Test
    void leavesTheConfigurationToXmlWhenATestConfigurationIsOnTheClassPath() {
        // test-support's logback-test.xml is on every module's test class path
        assertTrue(ServiceLogging.xmlAsked());
        LoggerContext context = new LoggerContext();
        ServiceLogging configurator = new ServiceLogging();
        configurator.setContext(context);

        assertEquals(ServiceLogging.ExecutionStatus.INVOKE_NEXT_IF_ANY, configurator.configure(context));
        assertFalse(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext());
    }

    /** The loggers with a level of their own, and each root appender as its class, target and pattern. */
    private static Map<String, String> describe(LoggerContext context) {
        Map<String, String> description = new TreeMap<>();
        for (Logger logger : context.getLoggerList()) {
            if (logger.getLevel() != null) {
                description.put("level " + logger.getName(), logger.getLevel().toString());
            }
        }
        Iterator<Appender<ILoggingEvent>> appenders = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
        while (appenders.hasNext()) {
            Appender<ILoggingEvent> appender = appenders.next();
            ConsoleAppender<ILoggingEvent> console = assertInstanceOf(ConsoleAppender.class, appender);
            PatternLayoutEncoder encoder = assertInstanceOf(PatternLayoutEncoder.class, console.getEncoder());
            description.put("appender " + appender.getName(),
                    console.getTarget() + " " + encoder.getPattern() + " started=" + console.isStarted());
        }
        return description;
    }
}
