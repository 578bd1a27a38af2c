package io.smartupdate.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** A real PostgreSQL for a test, in a directory of its own, started clean; {@link #url()} is what servers get as --status-db. */
public final class Postgres implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private Postgres(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts one with its data in {@code dir}. */
  public static Postgres start(Path dir) throws IOException {
    return new Postgres(EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true).start());
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
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
