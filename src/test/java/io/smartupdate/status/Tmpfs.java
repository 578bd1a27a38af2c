package io.smartupdate.status;

import io.smartupdate.testing.Tools;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A small tmpfs for disk-full tests: root only, so without root the test fails under CI=true and skips elsewhere. */
final class Tmpfs implements AutoCloseable {
  private final Path dir;

  private Tmpfs(Path dir) {
    this.dir = dir;
  }

  static Tmpfs mount(Path dir, String size) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    int rc = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
    Tools.requireThat(rc == 0, "cannot mount a tmpfs at " + dir + " (mount exit " + rc + "; disk-full tests need root)");
    return new Tmpfs(dir);
  }

  Path dir() {
    return dir;
  }

  /** Writes a filler file until the file system is full; deleting it frees the space again. */
  Path fill() throws IOException {
    Path filler = dir.resolve("filler");
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) out.write(block);
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left")) throw e;
    }
    return filler;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    int rc = run("umount", "-l", dir.toString());
    if (rc != 0) throw new IOException("umount " + dir + " failed with exit " + rc);
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
