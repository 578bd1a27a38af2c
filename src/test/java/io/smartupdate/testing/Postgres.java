package io.smartupdate.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** A real PostgreSQL for a test, in a directory of its own, started clean; {@link #url()} is what servers get as --status-db. */
public final class Postgres implements AutoCloseable {
  private final Path dir;
  private EmbeddedPostgres postgres;

  private Postgres(Path dir, EmbeddedPostgres postgres) {
    this.dir = dir;
    this.postgres = postgres;
  }

  /** Starts one with its data in {@code dir}. */
  public static Postgres start(Path dir) throws IOException {
    return new Postgres(dir, EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true).start());
  }

  /** Starts one that can be {@link #restart}ed: its data stays in {@code dir} (a temporary directory of the test's) after a stop. */
  public static Postgres startRestartable(Path dir) throws IOException {
    return new Postgres(dir, EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false).start());
  }

  /**
   * Stops PostgreSQL (fast shutdown: its connections are cut) and starts it again on the same port
   * over the same data, as an operator's restart would. Runs {@code meanwhile} while it is down.
   * Only for one {@link #startRestartable started restartable}.
   */
  public void restart(Runnable meanwhile) throws IOException {
    int port = postgres.getPort();
    EmbeddedPostgres stopping = postgres;
    postgres = null;
    stopping.close();
    try {
      meanwhile.run();
    } finally {
      postgres = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false).setPort(port).start();
    }
  }

  public String url() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  public EmbeddedPostgres embedded() {
    return postgres;
  }

  @Override
  public void close() {
    try {
      if (postgres != null) postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
