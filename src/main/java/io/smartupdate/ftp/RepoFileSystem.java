package io.smartupdate.ftp;

import io.smartupdate.firmware.RepositoryPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.ftpserver.ftplet.FileSystemFactory;
import org.apache.ftpserver.ftplet.FileSystemView;
import org.apache.ftpserver.ftplet.FtpFile;
import org.apache.ftpserver.ftplet.User;

/**
 * The repository as every FTP user sees it, read-only and confined: each name is resolved with
 * {@link Path#toRealPath} on every use, and whatever lies outside the repository, is hidden, is
 * unreadable or is neither a regular file nor a directory (a FIFO would hang a download) does not
 * exist for the client. Users' home directories are ignored: everyone starts at the root.
 */
final class RepoFileSystem implements FileSystemFactory {
  private final Path root;

  /** {@code realRoot} must already be a real path (symlinks resolved). */
  RepoFileSystem(Path realRoot) {
    this.root = realRoot;
  }

  @Override
  public FileSystemView createFileSystemView(User user) {
    return new View();
  }

  /** The file at a normalised virtual path, or a missing one. */
  RepoFile locate(String virtualPath) {
    if (!RepositoryPolicy.visiblePath(virtualPath)) return RepoFile.missing(this, virtualPath);
    try {
      Path real = root.resolve(virtualPath.substring(1)).toRealPath();
      if (!RepositoryPolicy.contains(root, real) || !Files.isReadable(real)) return RepoFile.missing(this, virtualPath);
      BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
      if (!attributes.isRegularFile() && !attributes.isDirectory()) return RepoFile.missing(this, virtualPath);
      return new RepoFile(this, virtualPath, real, attributes);
    } catch (IOException | InvalidPathException e) {
      // Missing, a dangling link, or a name this file system cannot hold: all simply "not there".
      return RepoFile.missing(this, virtualPath);
    }
  }

  /** Whether {@code real} is still inside the repository: checked again right before a file is opened. */
  boolean stillInside(Path real) throws IOException {
    return RepositoryPolicy.contains(root, real.toRealPath());
  }

  /** One session's view: a working directory over the shared repository. */
  final class View implements FileSystemView {
    // Commands of one session run one after another, but not always on the same pool thread.
    private volatile String cwd = RepoPaths.ROOT;

    @Override
    public FtpFile getHomeDirectory() {
      return locate(RepoPaths.ROOT);
    }

    @Override
    public FtpFile getWorkingDirectory() {
      return locate(cwd);
    }

    @Override
    public boolean changeWorkingDirectory(String dir) {
      String target = RepoPaths.resolve(cwd, dir);
      if (target == null || !locate(target).isDirectory()) return false;
      cwd = target;
      return true;
    }

    @Override
    public FtpFile getFile(String name) {
      String target = RepoPaths.resolve(cwd, name);
      // FtpServer's commands expect a file object, never null; one that does not exist answers 550.
      return target == null ? RepoFile.missing(RepoFileSystem.this, RepoPaths.printable(name)) : locate(target);
    }

    @Override
    public boolean isRandomAccessible() {
      return true;
    }

    @Override
    public void dispose() {}
  }
}
