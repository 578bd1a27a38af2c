package io.smartupdate.ftp;

import io.smartupdate.firmware.RepositoryPolicy;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.ftpserver.ftplet.FtpFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file or directory of the repository as an FTP client sees it: attributes read once when it is
 * located, every write operation refused. A missing one stands for anything the client may not see.
 */
final class RepoFile implements FtpFile {
  private static final Logger log = LoggerFactory.getLogger(RepoFile.class);

  private final RepoFileSystem fileSystem;
  private final String path;
  private final Path real;
  private final BasicFileAttributes attributes;

  RepoFile(RepoFileSystem fileSystem, String path, Path real, BasicFileAttributes attributes) {
    this.fileSystem = fileSystem;
    this.path = path;
    this.real = real;
    this.attributes = attributes;
  }

  static RepoFile missing(RepoFileSystem fileSystem, String path) {
    return new RepoFile(fileSystem, path, null, null);
  }

  @Override
  public String getAbsolutePath() {
    return path;
  }

  @Override
  public String getName() {
    return RepoPaths.name(path);
  }

  @Override
  public boolean isHidden() {
    return false; // hidden names never get this far: they do not exist for the client
  }

  @Override
  public boolean isDirectory() {
    return real != null && attributes.isDirectory();
  }

  @Override
  public boolean isFile() {
    return real != null && attributes.isRegularFile();
  }

  @Override
  public boolean doesExist() {
    return real != null;
  }

  @Override
  public boolean isReadable() {
    return real != null;
  }

  @Override
  public boolean isWritable() {
    return false;
  }

  @Override
  public boolean isRemovable() {
    return false;
  }

  @Override
  public String getOwnerName() {
    return "ftp";
  }

  @Override
  public String getGroupName() {
    return "ftp";
  }

  @Override
  public int getLinkCount() {
    return isDirectory() ? 2 : 1;
  }

  @Override
  public long getLastModified() {
    return real == null ? 0L : attributes.lastModifiedTime().toMillis();
  }

  @Override
  public boolean setLastModified(long time) {
    return false;
  }

  @Override
  public long getSize() {
    return isFile() ? attributes.size() : 0L;
  }

  @Override
  public Object getPhysicalFile() {
    return real;
  }

  @Override
  public boolean mkdir() {
    return false;
  }

  @Override
  public boolean delete() {
    return false;
  }

  @Override
  public boolean move(FtpFile destination) {
    return false;
  }

  /** Visible entries only (hidden, outside or unreadable ones are left out), by name. */
  @Override
  public List<? extends FtpFile> listFiles() {
    if (!isDirectory()) return List.of();
    List<RepoFile> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(real)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!RepositoryPolicy.visible(name)) continue;
        RepoFile file = fileSystem.locate(RepoPaths.child(path, name));
        if (file.doesExist()) files.add(file);
      }
    } catch (IOException e) {
      log.debug("cannot list FTP directory {}: {}", path, e.toString());
    }
    files.sort(Comparator.comparing(RepoFile::getName));
    return files;
  }

  @Override
  public OutputStream createOutputStream(long offset) throws IOException {
    throw new IOException("read-only server");
  }

  /** The content from {@code offset} on (REST); the path is checked again, so a link swapped in meanwhile is not followed. */
  @Override
  public InputStream createInputStream(long offset) throws IOException {
    if (!isFile() || !fileSystem.stillInside(real)) throw new FileNotFoundException(path);
    if (offset < 0) throw new IOException("negative offset " + offset);
    FileChannel channel = FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    try {
      channel.position(offset);
      return new Content(channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public String toString() {
    return path;
  }

  /** A download's bytes: a stream for FtpServer, and the channel itself for sendfile ({@link SendfileDataConnections}). */
  static final class Content extends InputStream {
    private final FileChannel channel;
    private final InputStream stream;

    Content(FileChannel channel) {
      this.channel = channel;
      this.stream = Channels.newInputStream(channel);
    }

    /** The file, positioned at the first byte to send (the REST offset). */
    FileChannel channel() {
      return channel;
    }

    @Override
    public int read() throws IOException {
      return stream.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return stream.read(b, off, len);
    }

    @Override
    public long skip(long n) throws IOException {
      return stream.skip(n);
    }

    @Override
    public int available() throws IOException {
      return stream.available();
    }

    @Override
    public void close() throws IOException {
      stream.close(); // closes the channel
    }
  }
}
