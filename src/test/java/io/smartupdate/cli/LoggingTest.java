package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The log file rolls over at 20 MB and keeps five old files: a client cannot fill the disk through the log. */
class LoggingTest {
  @TempDir Path logs;

  @AfterEach
  void restoreTheTestLogging() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  @Test
  @SuppressWarnings("unchecked")
  void logFileRollsAt20MbAndKeepsFiveOldFiles() throws Exception {
    Logging.configure(logs, true);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    RollingFileAppender<ILoggingEvent> file =
        (RollingFileAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("file");
    assertEquals(logs.resolve("smartupdate.log").toString(), file.getFile());
    SizeBasedTriggeringPolicy<ILoggingEvent> trigger = (SizeBasedTriggeringPolicy<ILoggingEvent>) file.getTriggeringPolicy();
    assertEquals(20L * 1024 * 1024, trigger.getMaxFileSize().getSize());
    FixedWindowRollingPolicy window = (FixedWindowRollingPolicy) file.getRollingPolicy();
    assertEquals(1, window.getMinIndex());
    assertEquals(5, window.getMaxIndex());

    // Real rollovers (logback checks the size only now and then, so they are asked for directly):
    // seven of them leave the current file and five numbered ones, the oldest dropped.
    Logger log = LoggerFactory.getLogger("io.smartupdate.test");
    for (int i = 0; i < 7; i++) {
      log.info("generation {}", i);
      file.rollover();
    }
    log.info("generation 7");
    try (Stream<Path> files = Files.list(logs)) {
      assertEquals(Set.of("smartupdate.log", "smartupdate.1.log", "smartupdate.2.log", "smartupdate.3.log", "smartupdate.4.log",
          "smartupdate.5.log"), files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
    }
    assertTrue(Files.readString(logs.resolve("smartupdate.log")).contains("generation 7"));
    assertTrue(Files.readString(logs.resolve("smartupdate.1.log")).contains("generation 6"), "newest old file is .1");
    assertTrue(Files.readString(logs.resolve("smartupdate.5.log")).contains("generation 2"), "generations 0 and 1 were dropped");
  }
}
