package io.smartupdate.status;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The SQLite file under the store, watched for the two ways it can lose acknowledged events.
 *
 * <p>SQLite keeps writing into a file that was deleted or replaced while open: commits succeed
 * into an unlinked inode and are gone at the next start. So the writer compares the inodes of
 * the database and its -wal and -shm with the ones it opened, before it acknowledges a commit.
 *
 * <p>Ids must never go backwards, or a client resuming with Last-Event-ID skips the new events.
 * The database cannot promise that once it can be lost, so the highest id that may have been
 * handed out is also kept beside it in {@code <name>.ids} (which {@code rm status.db*} leaves
 * alone). Rewriting it on every commit would add an fsync per batch; instead it reserves ids
 * {@link #RESERVE} at a time, is rewritten (synced, atomically renamed) only when a batch crosses
 * the reservation, and is set to the exact highest id on a clean close. After a crash ids may
 * therefore skip ahead by up to RESERVE, which is harmless: clients only compare them.
 */
final class DatabaseFile {
  static final long RESERVE = 10_000;
  private static final Object NONE = new Object(); // the file does not exist

  private final Path db;
  private final Path ids;
  private final List<Object> opened = new ArrayList<>(List.of(NONE, NONE, NONE));
  private long reserved;

  private DatabaseFile(Path db, Path ids, long reserved) {
    this.db = db;
    this.ids = ids;
    this.reserved = reserved;
  }

  /** The file behind a {@code jdbc:sqlite:} URL, or null for an in-memory or URI-named database. */
  static DatabaseFile of(String url) throws IOException {
    String name = url.substring("jdbc:sqlite:".length());
    int query = name.indexOf('?');
    if (query >= 0) name = name.substring(0, query);
    if (name.isEmpty() || name.startsWith(":") || name.startsWith("file:")) return null;
    Path db = Path.of(name).toAbsolutePath();
    String file = db.getFileName().toString();
    int dot = file.lastIndexOf('.');
    Path ids = db.resolveSibling((dot > 0 ? file.substring(0, dot) : file) + ".ids");
    return new DatabaseFile(db, ids, read(ids));
  }

  Path path() {
    return db;
  }

  /** The highest id handed out before, as far as the side file knows (0 when it is new). */
  long recorded() {
    return reserved;
  }

  boolean present() {
    return Files.exists(db, LinkOption.NOFOLLOW_LINKS);
  }

  /** Remembers the files the connections have open now. */
  void opened() throws IOException {
    List<Path> files = files();
    for (int i = 0; i < files.size(); i++) opened.set(i, key(files.get(i)));
  }

  /** Null while the files are the ones opened; else the one deleted or replaced since. */
  Path moved() {
    List<Path> files = files();
    for (int i = 0; i < files.size(); i++) {
      Object now;
      try {
        now = key(files.get(i));
      } catch (IOException e) {
        now = e; // unreadable counts as changed
      }
      if (opened.get(i) == NONE) {
        opened.set(i, now); // SQLite may create the -wal or -shm after the first look
      } else if (!Objects.equals(opened.get(i), now)) {
        return files.get(i);
      }
    }
    return null;
  }

  /** Makes the side file cover ids up to {@code lastId}; call before acknowledging them. */
  void reserve(long lastId) throws IOException {
    if (lastId <= reserved) return;
    write(lastId + RESERVE);
    reserved = lastId + RESERVE;
  }

  /** On a clean close: the exact highest id, so the next start does not skip ahead. */
  void settle(long highest) throws IOException {
    write(highest);
    reserved = highest;
  }

  private List<Path> files() {
    return List.of(db, db.resolveSibling(db.getFileName() + "-wal"), db.resolveSibling(db.getFileName() + "-shm"));
  }

  /** The inode (device and number) of a file, NONE when it does not exist. */
  private static Object key(Path file) throws IOException {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    } catch (NoSuchFileException e) {
      return NONE;
    }
  }

  private static long read(Path ids) throws IOException {
    if (!Files.exists(ids)) return 0;
    String text = Files.readString(ids, StandardCharsets.US_ASCII).trim();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IOException(ids + " should hold the highest status event id handed out, not '" + text + "'; "
          + "fix it or delete it if status.db is intact", e);
    }
  }

  private void write(long value) throws IOException {
    Path temp = ids.resolveSibling(ids.getFileName() + ".tmp");
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(StandardCharsets.US_ASCII.encode(value + "\n"));
      out.force(true);
    }
    Files.move(temp, ids, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel dir = FileChannel.open(ids.getParent(), StandardOpenOption.READ)) {
      dir.force(true); // the rename itself must survive a crash
    }
  }
}
