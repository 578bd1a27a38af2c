package io.smartupdate.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A test's main class in a JVM of its own, on the build's classes: for behaviour that ends or halts a process. */
public final class ChildJvm {
  private ChildJvm() {}

  /** The command line running {@code main} with {@code args} on target/test-classes, target/classes and target/lib. */
  public static List<String> command(Class<?> main, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        Path.of("target/test-classes").toAbsolutePath() + ":" + Path.of("target/classes").toAbsolutePath() + ":"
            + Path.of("target/lib").toAbsolutePath() + "/*",
        main.getName()));
    command.addAll(List.of(args));
    return command;
  }
}
