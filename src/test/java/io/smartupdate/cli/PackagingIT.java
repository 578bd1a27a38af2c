package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smartupdate.testing.LaunchedServer;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.Tools;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release artefacts of {@code mvn package} as an operator installs them (README "Install"):
 * the .deb's layout and lintian's verdict, the unpacked .deb on ports 80 and 443 as an unprivileged
 * user inside a network namespace made for the test, the systemd unit, and the tarball.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class PackagingIT {
  private static final Path TARGET = Path.of("target").toAbsolutePath();
  private static final int NOBODY = 65534;

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final List<String> namespaces = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    processes.forEach(Process::destroyForcibly);
    for (Process p : processes) p.waitFor(10, TimeUnit.SECONDS);
    for (String ns : namespaces) Tools.run(10, dir.resolve("netns-del.log"), "ip", "netns", "del", ns);
  }

  @Test
  void everyShippedLibraryIsNamedInTheCopyrightFile() throws IOException {
    String copyright = Files.readString(Path.of("src/deb/copyright"));
    List<String> globs = new ArrayList<>();
    Matcher files = Pattern.compile("^Files:((?:.*\\n(?: \\S.*\\n)*?))(?=Copyright:)", Pattern.MULTILINE).matcher(copyright);
    while (files.find()) {
      for (String word : files.group(1).trim().split("\\s+")) {
        if (word.startsWith("usr/share/smartupdate/lib/")) globs.add(word.substring("usr/share/smartupdate/lib/".length()));
      }
    }
    assertFalse(globs.isEmpty(), "no lib/ patterns found in src/deb/copyright");
    try (Stream<Path> jars = Files.list(TARGET.resolve("lib"))) {
      List<String> unnamed = jars.map(p -> p.getFileName().toString())
          .filter(jar -> globs.stream().noneMatch(glob -> jar.startsWith(glob.replace("*", "")))).toList();
      assertTrue(unnamed.isEmpty(), "libraries shipped in lib/ without a licence in src/deb/copyright (and LICENSE): " + unnamed);
    }
  }

  @Test
  void debHoldsTheInstalledLayoutAndPassesLintian() throws Exception {
    Path deb = artefact("smartupdate_", "_all.deb");
    String contents = must(60, Tools.require("dpkg-deb").toString(), "-c", deb.toString());
    for (String path : List.of("./usr/share/smartupdate/bin/smartupdate", "./usr/share/smartupdate/lib/smartupdate.jar",
        "./usr/share/smartupdate/lib/jvm.sh",
        "./usr/bin/smartupdate -> ../share/smartupdate/bin/smartupdate", "./lib/systemd/system/smartupdate.service",
        "./etc/default/smartupdate", "./var/lib/smartupdate/firmware/", "./usr/share/doc/smartupdate/README.firmware",
        "./usr/share/doc/smartupdate/copyright", "./usr/share/doc/smartupdate/NOTICE",
        "./usr/share/doc/smartupdate/docs/operations.md",
        "./usr/share/doc/smartupdate/changelog.gz", "./usr/share/doc/smartupdate/examples/open-firewall.conf")) {
      assertTrue(contents.contains(path), path + " missing from the .deb:\n" + contents);
    }
    assertTrue(contents.lines().anyMatch(l -> l.startsWith("-rwxr-xr-x root/root") && l.endsWith("/usr/share/smartupdate/bin/smartupdate")), contents);
    assertEquals(1, contents.lines().filter(l -> l.contains("./var/lib/smartupdate/firmware/")).count(),
        "the repository ships empty (anything in it would be served):\n" + contents);

    String control = must(60, "dpkg-deb", "-f", deb.toString());
    assertTrue(control.contains("\nDepends: default-jre-headless | java17-runtime-headless\n"), control);
    assertTrue(control.contains("\nArchitecture: all\n"), control);
    Path info = dir.resolve("control");
    must(60, "dpkg-deb", "-e", deb.toString(), info.toString());
    assertEquals("/etc/default/smartupdate", Files.readString(info.resolve("conffiles")).strip());
    for (String script : List.of("postinst", "prerm", "postrm")) {
      assertTrue(Files.readString(info.resolve(script)).startsWith("#!/bin/sh\n"), script + " is POSIX sh");
      must(10, "sh", "-n", info.resolve(script).toString());
    }

    // --fail-on warning: every warning is fixed, or overridden in src/deb/lintian-overrides with its reason.
    String lintian = must(300, Tools.require("lintian").toString(), "--fail-on", "error,warning", deb.toString());
    assertFalse(lintian.lines().anyMatch(l -> l.startsWith("E:") || l.startsWith("W:")), lintian);
  }

  @Test
  void debBindsPorts80And443AsAnUnprivilegedUserWithOnlyTheCapability() throws Exception {
    String ns = namespace();
    Path root = unpackDeb();
    byte[] image = new byte[3 * 1024 * 1024 + 17];
    new Random(13).nextBytes(image);
    Path source = dir.resolve("test.bin");
    Files.write(source, image);
    Process server = startInNamespace(ns, root, source, false, "--inh-caps=-all,+net_bind_service", "--ambient-caps=+net_bind_service",
        "--bounding-set=-all,+net_bind_service");
    LaunchedServer.Ready ready = LaunchedServer.awaitReady(server, Duration.ofSeconds(60), () -> "stderr: " + errors());
    assertEquals(80, ready.http());
    assertEquals(443, ready.https());

    // The installed defaults: the repository /var/lib/smartupdate/firmware, state and logs in /var.
    JsonNode catalog = new ObjectMapper().readTree(must(30, "ip", "netns", "exec", ns, curl(), "-sSf", "--max-time", "20",
        "http://127.0.0.1:80/api/catalog"));
    String expected = Samples.sha256(image);
    JsonNode listed = null;
    for (JsonNode entry : catalog.path("images")) if ("test.bin".equals(entry.path("path").asText())) listed = entry;
    assertTrue(listed != null, catalog.toString());
    assertEquals(1, catalog.path("images").size(), "the installed repository holds only the image put there: " + catalog);
    assertEquals(expected, listed.path("sha256").asText());
    for (String url : List.of("http://127.0.0.1:80/firmware/test.bin", "https://127.0.0.1:443/firmware/test.bin")) {
      Path got = dir.resolve("got.bin");
      must(60, "ip", "netns", "exec", ns, curl(), "-sSfk", "--max-time", "30", "-o", got.toString(), url);
      assertEquals(expected, Samples.sha256(Files.readAllBytes(got)), url);
    }

    server.destroy(); // SIGTERM to the JVM itself: ip netns exec, sh, setpriv and the launcher all exec.
    assertTrue(server.waitFor(15, TimeUnit.SECONDS), "no stop within 15 s of SIGTERM");
    String stderr = Files.readString(dir.resolve("server.err"));
    assertEquals(0, server.exitValue(), stderr);
    assertTrue(stderr.contains("serving /var/lib/smartupdate/firmware; logs in /var/log/smartupdate"), stderr);
    assertTrue(stderr.contains("/var/lib/smartupdate/token") && stderr.contains("/var/lib/smartupdate/certs/server.crt"), stderr);
    assertFalse(stderr.contains("running as root"), stderr);
  }

  @Test
  void debWithoutTheCapabilityRefusesWithOneLine() throws Exception {
    String ns = namespace();
    Path root = unpackDeb();
    Path source = dir.resolve("test.bin");
    Files.write(source, new byte[] {1, 2, 3});
    Process server = startInNamespace(ns, root, source, true, "--inh-caps=-all", "--bounding-set=-all");
    assertTrue(server.waitFor(60, TimeUnit.SECONDS), "still running without the capability");
    String stderr = Files.readString(dir.resolve("server.err"));
    assertEquals(2, server.exitValue(), stderr);
    assertEquals(1, stderr.lines().count(), stderr);
    for (String way : List.of("port 80", "smartupdate service", "CAP_NET_BIND_SERVICE", "root", "setcap cap_net_bind_service=+ep")) {
      assertTrue(stderr.contains(way), way + " not named: " + stderr);
    }
  }

  @Test
  void unitVerifiesWithItsHardening() throws Exception {
    Path root = unpackDeb();
    Path unit = root.resolve("lib/systemd/system/smartupdate.service");
    String text = Files.readString(unit);
    for (String line : List.of("User=smartupdate", "AmbientCapabilities=CAP_NET_BIND_SERVICE\n", "CapabilityBoundingSet=CAP_NET_BIND_SERVICE\n",
        "NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/smartupdate /var/log/smartupdate", "ProtectHome=yes",
        "PrivateTmp=yes", "RestrictAddressFamilies=", "SystemCallFilter=@system-service", "Restart=on-failure",
        "EnvironmentFile=-/etc/default/smartupdate")) {
      assertTrue(text.contains(line), line + " missing from the unit");
    }
    assertFalse(text.lines().anyMatch(l -> !l.startsWith("#") && l.contains("CAP_NET_ADMIN")), "CAP_NET_ADMIN only through the open-firewall drop-in");
    // Connections: up to 8192, lowered to (ulimit -n - 256) / 2; TimeoutStopSec above the 4 s drain grace.
    assertTrue(intValue(text, "LimitNOFILE") >= 16640, "LimitNOFILE too low for 8192 connections");
    assertTrue(intValue(text, "TimeoutStopSec") > 4, "TimeoutStopSec must exceed the drain grace");

    // verify checks that ExecStart exists: the package's /usr over the host's, in a mount namespace of our own.
    String verify = must(60, Tools.require("unshare").toString(), "--mount", "sh", "-c",
        "mount -t overlay overlay -o lowerdir=\"$1/usr:/usr\" /usr && exec systemd-analyze verify \"$2\"", "sh",
        root.toString(), unit.toString());
    assertFalse(verify.contains(unit.getFileName().toString() + ":"), verify);
  }

  /**
   * The exposure score (README: Install) of the unit the .deb ships, read offline from the unit
   * file: no root, no running systemd. As root the check itself runs as nobody, to show that.
   */
  @Test
  void theDebsUnitExposureScoreIsTheReadmes1Point4OrLower() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path root = dir.resolve("unpacked");
    must(120, Tools.require("dpkg-deb").toString(), "-x", artefact("smartupdate_", "_all.deb").toString(), root.toString());
    Path unit = root.resolve("lib/systemd/system/smartupdate.service");
    List<String> command = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      command.addAll(List.of(Tools.require("setpriv").toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
    }
    command.addAll(List.of(Tools.require("systemd-analyze").toString(), "security", "--offline=true", unit.toString()));
    String security = must(60, command.toArray(String[]::new));
    Matcher score = Pattern.compile("Overall exposure level for smartupdate.service: (\\d+\\.\\d)").matcher(security);
    assertTrue(score.find(), security);
    System.out.println("PackagingIT: systemd-analyze security smartupdate.service: " + score.group(1));
    assertTrue(Double.parseDouble(score.group(1)) <= 1.4, "README (Install) promises 1.4; exposure went up: " + score.group(1) + "\n" + security);
  }

  @Test
  void tarballRunsFromWhereItIsUnpackedWithARelativeRepository() throws Exception {
    Path tarball = artefact("smartupdate-", ".tar.gz");
    must(120, Tools.require("tar").toString(), "-xzf", tarball.toString(), "-C", dir.toString());
    String name = tarball.getFileName().toString().replace(".tar.gz", "");
    Path home = dir.resolve(name);
    for (String path : List.of("bin/smartupdate", "lib/smartupdate.jar", "lib/jvm.sh", "firmware-samples", "README.md", "LICENSE", "NOTICE",
        "docs/operations.md", "systemd/smartupdate.service", "systemd/smartupdate.default", "systemd/open-firewall.conf")) {
      assertTrue(Files.exists(home.resolve(path)), path + " missing from the tarball");
    }

    Process version = new ProcessBuilder(home.resolve("bin/smartupdate").toString(), "--version").directory(home.toFile())
        .redirectErrorStream(true).start();
    processes.add(version);
    assertTrue(version.waitFor(60, TimeUnit.SECONDS));
    String printed = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    List<String> lines = printed.lines().toList();
    assertEquals(2, lines.size(), printed);
    assertTrue(lines.get(0).matches("smartupdate " + Pattern.quote(name.substring("smartupdate-".length()))
        + " \\(commit ([0-9a-f]{12}|unknown)\\)"), printed);
    // The launcher runs the newest JDK (17 or later) it finds and names it: never older than the one running this test.
    Matcher java = Pattern.compile("Java (\\d+)\\S* \\(.*, (/\\S+)\\)").matcher(lines.get(1));
    assertTrue(java.matches(), printed);
    assertTrue(Integer.parseInt(java.group(1)) >= Runtime.version().feature(), printed);
    assertTrue(Files.isExecutable(Path.of(java.group(2), "bin", "java")), printed);

    // SMARTUPDATE_JAVA chooses the JVM (say, a newer JDK beside the system's 17), as in bin/smartupdate.
    Path marker = dir.resolve("wrapper-used");
    Path wrapper = Files.writeString(dir.resolve("java-wrapper"), "#!/bin/sh\ntouch '" + marker + "'\nexec '"
        + ProcessHandle.current().info().command().orElseThrow() + "' \"$@\"\n");
    assertTrue(wrapper.toFile().setExecutable(true));
    ProcessBuilder chosen = new ProcessBuilder(home.resolve("bin/smartupdate").toString(), "--version").directory(home.toFile())
        .redirectErrorStream(true).redirectOutput(dir.resolve("chosen.out").toFile());
    chosen.environment().put("SMARTUPDATE_JAVA", wrapper.toString());
    Process viaWrapper = chosen.start();
    processes.add(viaWrapper);
    assertTrue(viaWrapper.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, viaWrapper.exitValue(), Files.readString(dir.resolve("chosen.out")));
    assertTrue(Files.exists(marker), "SMARTUPDATE_JAVA was not the JVM started");

    // Under systemd (INVOCATION_ID) the console lines carry the journal's priority prefix and no time.
    ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/smartupdate").toString(), "/port", "0", "/ssl_port", "0",
        "/repo", "firmware-samples").directory(home.toFile()).redirectError(dir.resolve("tar.err").toFile());
    builder.environment().put("INVOCATION_ID", "0123456789abcdef0123456789abcdef");
    // Which jar each class came from (without the start-up cache, whose classes name no jar): smartupdate's
    // HostHeaderHandler must take the place of Undertow's, so the launcher's class path names smartupdate.jar first.
    Path classLoads = dir.resolve("class-load.log");
    builder.environment().put("SMARTUPDATE_CDS", "off");
    builder.environment().put("SMARTUPDATE_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLoads);
    Process server = builder.start();
    processes.add(server);
    LaunchedServer.Ready ready = LaunchedServer.awaitReady(server, Duration.ofSeconds(60), () -> "stderr: " + readQuietly("tar.err"));
    HttpResponse<String> health = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ready.http() + "/health")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
    assertTrue(health.body().contains("\"status\":\"up\""), health.body());
    String hostCheck = Files.readAllLines(classLoads).stream().filter(line -> line.contains(" io.undertow.server.handlers.HostHeaderHandler "))
        .findFirst().orElseThrow(() -> new AssertionError("HostHeaderHandler never loaded"));
    assertTrue(hostCheck.contains("lib/smartupdate.jar"), "Undertow's own HostHeaderHandler was found first: " + hostCheck);
    server.destroy();
    assertTrue(server.waitFor(15, TimeUnit.SECONDS));
    assertEquals(0, server.exitValue());

    assertTrue(Files.exists(home.resolve("data/token")), "default data/ is relative to the unpacked directory");
    assertFalse(Files.exists(home.resolve("target")), "the packaged launcher never builds");
    List<String> console = Files.readAllLines(dir.resolve("tar.err"));
    assertFalse(console.isEmpty());
    for (String line : console) assertTrue(line.matches("<[0-7]>[A-Z]+ +\\S+ - .*"), "not a journal line: " + line);
  }

  /**
   * dpkg for real, in a private root: a mount namespace of the test's own where /etc, /usr and
   * /var are overlays whose writes land in a tmpfs (and /run a tmpfs, so no host systemd is told
   * anything). Install twice, configure again, remove (the data stays), purge (it goes). Runs
   * whether or not the package is installed on this machine, and leaves the machine as it was.
   * Why not dpkg --root or --instdir: both chroot the maintainer scripts into a directory that
   * would need its own shell, useradd and dpkg database; the overlay gives them the real ones.
   */
  @Test
  void maintainerScriptsInstallRemoveAndPurgeIdempotently() throws Exception {
    assumeRoot();
    String dpkg = Tools.require("dpkg").toString();
    Tools.require("unshare");
    String hostBefore = hostPackageState(dpkg);
    Path scratch = Files.createDirectories(dir.resolve("private-root"));
    String script = String.join("\n",
        "set -eu",
        "mount -t tmpfs -o mode=0755 tmpfs \"$1\"",
        "for d in etc usr var; do",
        "  mkdir -p \"$1/$d.upper\" \"$1/$d.work\"",
        "  mount -t overlay overlay -o \"lowerdir=/$d,upperdir=$1/$d.upper,workdir=$1/$d.work\" \"/$d\"",
        "done",
        "mount -t tmpfs tmpfs /run",
        "dpkg -P smartupdate >/dev/null 2>&1 || true", // a copy installed on the host is not this test's starting point
        "dpkg -i \"$2\"",
        "dpkg -i \"$2\"",
        "sh /var/lib/dpkg/info/smartupdate.postinst configure 0.1.0",
        "for p in /var/lib/smartupdate /var/lib/smartupdate/certs /var/cache/smartupdate /var/log/smartupdate /var/lib/smartupdate/firmware; do",
        "  echo \"check: $p $(stat -c '%U:%G %a' $p)\"",
        "done",
        "echo kept > /var/lib/smartupdate/firmware/kept.bin",
        "dpkg -r smartupdate",
        "for p in /usr/share/smartupdate /var/lib/smartupdate/firmware/kept.bin /var/lib/smartupdate/certs /etc/default/smartupdate; do",
        "  if [ -e $p ]; then echo \"check: removed, $p present\"; else echo \"check: removed, $p gone\"; fi",
        "done",
        "dpkg -P smartupdate",
        "for p in /var/lib/smartupdate /var/log/smartupdate /var/cache/smartupdate /etc/default/smartupdate; do",
        "  if [ -e $p ]; then echo \"check: purged, $p present\"; else echo \"check: purged, $p gone\"; fi",
        "done",
        "echo \"check: statoverrides $(dpkg-statoverride --list | grep -c /var/lib/smartupdate || true)\"");
    String output = must(600, Tools.require("unshare").toString(), "--mount", "--propagation", "private", "sh", "-c", script, "sh",
        scratch.toString(), artefact("smartupdate_", "_all.deb").toString());
    List<String> checks = output.lines().filter(l -> l.startsWith("check: ")).map(l -> l.substring("check: ".length())).toList();
    assertEquals(List.of(
        "/var/lib/smartupdate smartupdate:smartupdate 750",
        "/var/lib/smartupdate/certs smartupdate:smartupdate 700",
        "/var/cache/smartupdate smartupdate:smartupdate 755",
        "/var/log/smartupdate smartupdate:adm 2750",
        "/var/lib/smartupdate/firmware root:root 755",
        "removed, /usr/share/smartupdate gone",
        "removed, /var/lib/smartupdate/firmware/kept.bin present", // remove keeps the repository
        "removed, /var/lib/smartupdate/certs present",
        "removed, /etc/default/smartupdate present",
        "purged, /var/lib/smartupdate gone",
        "purged, /var/log/smartupdate gone",
        "purged, /var/cache/smartupdate gone",
        "purged, /etc/default/smartupdate gone",
        "statoverrides 0"), checks, output);
    assertEquals(hostBefore, hostPackageState(dpkg), "the host's own dpkg state, user and directories are untouched");
  }

  /** What an install on the host itself would change: dpkg's record, the service user, the state directories. */
  private String hostPackageState(String dpkg) throws Exception {
    int status = Tools.run(10, dir.resolve("status.log"), dpkg, "-s", "smartupdate");
    int user = Tools.run(10, dir.resolve("id.log"), "id", "smartupdate");
    return "dpkg -s " + status + ", id " + user + ", /var/lib/smartupdate " + Files.exists(Path.of("/var/lib/smartupdate"))
        + ", /var/log/smartupdate " + Files.exists(Path.of("/var/log/smartupdate")) + ", /usr/share/smartupdate "
        + Files.exists(Path.of("/usr/share/smartupdate"));
  }

  // --- helpers

  private static Path artefact(String prefix, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(TARGET)) {
      List<Path> found = files.filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(suffix)).toList();
      assertEquals(1, found.size(), "expected one " + prefix + "*" + suffix + " in target/ (mvn package builds it): " + found);
      return found.get(0);
    }
  }

  /** The .deb unpacked (dpkg-deb -x) into a root that the unprivileged user can read. */
  private Path unpackDeb() throws Exception {
    assumeRoot();
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path root = dir.resolve("root");
    must(120, Tools.require("dpkg-deb").toString(), "-x", artefact("smartupdate_", "_all.deb").toString(), root.toString());
    return root;
  }

  private String namespace() throws Exception {
    assumeRoot();
    Tools.require("ip");
    Tools.require("setpriv");
    String ns = "su-pkg-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    must(10, "ip", "netns", "add", ns);
    namespaces.add(ns);
    must(10, "ip", "-n", ns, "link", "set", "lo", "up");
    return ns;
  }

  /**
   * Starts the unpacked .deb's /usr/bin/smartupdate in {@code ns} as nobody with the given setpriv
   * capability options, on its installed defaults. ip netns exec gives the command a mount namespace
   * of its own, so tmpfs over /var/lib and /var/log stand in for the installed state directories
   * (as postinst makes them) without touching the host's.
   */
  private Process startInNamespace(String ns, Path root, Path image, boolean silent, String... caps) throws IOException {
    String script = String.join("\n",
        "set -eu",
        "mount -t tmpfs -o mode=0755 tmpfs /var/lib",
        "mount -t tmpfs -o mode=0755 tmpfs /var/log",
        "cp -a \"$1/var/lib/smartupdate\" /var/lib/",
        "cp \"$2\" /var/lib/smartupdate/firmware/",
        "install -d -o " + NOBODY + " -g " + NOBODY + " -m 0700 /var/lib/smartupdate/certs /var/log/smartupdate",
        "chown " + NOBODY + ":" + NOBODY + " /var/lib/smartupdate",
        "shift 2",
        "exec setpriv --reuid=" + NOBODY + " --regid=" + NOBODY + " --clear-groups \"$@\"");
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns, "sh", "-c", script, "sh", root.toString(), image.toString()));
    command.addAll(List.of(caps));
    command.addAll(List.of(root.resolve("usr/bin/smartupdate").toString(), "/port", "80", "/ssl_port", "443"));
    if (silent) command.add("/s");
    Process process = new ProcessBuilder(command).redirectError(dir.resolve("server.err").toFile()).start();
    processes.add(process);
    return process;
  }

  private String errors() {
    return readQuietly("server.err");
  }

  private String readQuietly(String name) {
    try {
      Path file = dir.resolve(name);
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Runs a command (bounded), fails the test unless it exits 0, and returns its output (stdout and stderr). */
  private String must(long seconds, String... command) throws Exception {
    Path log = Files.createTempFile(dir, "cmd", ".log");
    int exit = Tools.run(seconds, log, command);
    String output = Files.readString(log);
    assertEquals(0, exit, String.join(" ", command) + "\n" + output);
    return output;
  }

  private static String curl() {
    return Tools.require("curl").toString();
  }

  private static int intValue(String unit, String key) {
    Matcher m = Pattern.compile("(?m)^" + key + "=(\\d+)").matcher(unit);
    assertTrue(m.find(), key + " missing");
    return Integer.parseInt(m.group(1));
  }

  private static void assumeRoot() {
    boolean root = "root".equals(System.getProperty("user.name"));
    Tools.requireThat(root, "the packaging tests need root (network namespaces, setpriv)");
  }
}
