package io.smartupdate.status;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The store's read connections. {@link #retire()} replaces them all, lazily: a connection keeps
 * reading the file it opened even after that file was deleted or replaced, so once the store
 * notices, readers must start over on whatever file is at the path now.
 */
final class ReaderPool implements AutoCloseable {
  interface Opener {
    Connection open() throws SQLException;
  }

  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private record Reader(Connection connection, int generation) {}

  private final Opener opener;
  private final BlockingQueue<Reader> readers;
  private volatile int generation;

  ReaderPool(int size, Opener opener) throws SQLException {
    this.opener = opener;
    this.readers = new ArrayBlockingQueue<>(size);
    try {
      for (int i = 0; i < size; i++) readers.add(new Reader(opener.open(), 0));
    } catch (SQLException e) {
      close();
      throw e;
    }
  }

  <T> T with(Work<T> work) throws SQLException {
    Reader reader = borrow();
    try {
      return work.run(reader.connection());
    } finally {
      if (reader.generation() != generation) JdbcStatusStore.closeQuietly(reader.connection());
      readers.add(reader);
    }
  }

  /** Closes the idle connections now and the busy ones when they come back; new ones open on demand. */
  synchronized void retire() {
    generation++;
    List<Reader> idle = new ArrayList<>();
    readers.drainTo(idle);
    for (Reader reader : idle) {
      JdbcStatusStore.closeQuietly(reader.connection());
      readers.add(reader); // a placeholder: borrow() opens a new connection in its place
    }
  }

  private Reader borrow() throws SQLException {
    Reader reader;
    try {
      reader = readers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a database connection", e);
    }
    int current = generation;
    if (reader.generation() == current && reader.connection().isValid(2)) return reader;
    JdbcStatusStore.closeQuietly(reader.connection());
    try {
      return new Reader(opener.open(), current);
    } catch (SQLException e) {
      readers.add(reader); // keep the pool size; the next borrower retries
      throw e;
    }
  }

  @Override
  public void close() {
    Reader reader;
    while ((reader = readers.poll()) != null) JdbcStatusStore.closeQuietly(reader.connection());
  }
}
