package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.firewall.FirewallMode;
import io.smartupdate.server.ServerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class CommandLineTest {
  @TempDir Path home;

  private ServerConfig parse(String... args) {
    ServeCommand command = new ServeCommand();
    Main.commandLine(command).parseArgs(args);
    return command.toConfig(new InstallLayout(home));
  }

  private CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void sumAndGnuFormsGiveTheSameConfiguration() {
    ServerConfig sum = parse("/port", "80", "/ssl_port", "443", "/repo", "/srv/fw", "/strict_ports", "/bind", "10.0.0.1",
        "/certs", "/etc/su/certs", "/data", "/var/lib/su");
    ServerConfig gnu = parse("--port", "80", "--ssl-port", "443", "--repo", "/srv/fw", "--strict-ports", "--bind", "10.0.0.1",
        "--certs", "/etc/su/certs", "--data", "/var/lib/su");
    assertEquals(sum, gnu);
    assertEquals(80, sum.httpPort());
    assertEquals(443, sum.httpsPort());
    assertEquals(Path.of("/srv/fw"), sum.repo());
    assertTrue(sum.strictPorts());
  }

  @Test
  void sumFormIsCaseInsensitiveAndAcceptsEquals() {
    ServerConfig config = parse("/PORT=8080", "/Ssl_Port=8443", "/REPO=/abs/repo");
    assertEquals(8080, config.httpPort());
    assertEquals(8443, config.httpsPort());
    assertEquals(Path.of("/abs/repo"), config.repo());
  }

  @Test
  void theAccessLogGoesToTheLogDirUnlessTurnedOff() {
    assertEquals(home.resolve("data/logs").toAbsolutePath().normalize(), parse().logDir().normalize());
    assertEquals(Path.of("/var/log/su"), parse("/logdir", "/var/log/su").logDir());
    assertNull(parse("/access_log", "off").logDir());
    assertNull(parse("--access-log=OFF").logDir());
    CliRun bad = run("/access_log", "maybe");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("on or off"), bad.err());
  }

  @Test
  void statusDbInsecureWritesAndLogdirInBothForms() {
    String url = "jdbc:postgresql://db/su?user=su&password=s3cret";
    ServerConfig sum = parse("/status_db", url, "/insecure_writes");
    ServerConfig gnu = parse("--status-db", url, "--insecure-writes");
    assertEquals(sum, gnu);
    assertEquals(url, sum.statusDb());
    assertTrue(sum.insecureWrites());
    ServerConfig defaults = parse();
    assertNull(defaults.statusDb(), "SQLite in DATA unless /status_db is given");
    assertFalse(defaults.insecureWrites(), "writes need authentication unless /insecure_writes is given");
    assertNull(parse("/status_db", " ").statusDb(), "a blank URL means the default store");
    assertEquals(url, parse("/STATUS_DB=" + url).statusDb(), "SUM form with = and any case");

    ServeCommand logs = new ServeCommand();
    Main.commandLine(logs).parseArgs("/logdir", "/var/log/su", "/data", "/var/lib/su");
    assertEquals(Path.of("/var/log/su"), logs.logDir(logs.toConfig(new InstallLayout(home))));
    ServeCommand gnuLogs = new ServeCommand();
    Main.commandLine(gnuLogs).parseArgs("--logdir=rel/logs");
    assertEquals(Path.of("rel/logs").toAbsolutePath(), gnuLogs.logDir(gnuLogs.toConfig(new InstallLayout(home))), "relative to the current directory");
    ServeCommand defaultLogs = new ServeCommand();
    Main.commandLine(defaultLogs).parseArgs("/data", "/var/lib/su");
    assertEquals(Path.of("/var/lib/su/logs"), defaultLogs.logDir(defaultLogs.toConfig(new InstallLayout(home))), "DATA/logs by default");
  }

  @Test
  void gnuFormAcceptsEquals() {
    assertEquals(9000, parse("--port=9000").httpPort());
  }

  @Test
  void defaultsAreRelativeToTheInstallationDirectory() {
    ServerConfig config = parse();
    assertEquals(63001, config.httpPort());
    assertEquals(63002, config.httpsPort());
    assertEquals(home.resolve("firmware-samples").toAbsolutePath(), config.repo());
    assertEquals(home.resolve("certs").toAbsolutePath(), config.certsDir());
    assertEquals(home.resolve("data").toAbsolutePath(), config.dataDir());
    assertNull(config.bindAddress());
  }

  @Test
  void givenRelativePathsAreRelativeToTheCurrentDirectory() {
    assertEquals(Path.of("fw").toAbsolutePath(), parse("/repo", "fw").repo());
  }

  @Test
  void absolutePathsThatLookLikeSumOptionsAreValues() {
    assertEquals(Path.of("/s"), parse("/repo", "/s").repo());
    assertEquals(Path.of("/port"), parse("--repo", "/port").repo());
  }

  @Test
  void operatorCertificateOptions() {
    ServerConfig config = parse("/cert", "/etc/pki/su.pem", "/key", "/etc/pki/su.key");
    assertEquals(Path.of("/etc/pki/su.pem"), config.certFile());
    assertEquals(Path.of("/etc/pki/su.key"), config.keyFile());
  }

  @Test
  void unknownOptionIsOneLineAndExit2() {
    CliRun run = run("/frobnicate");
    assertEquals(2, run.code());
    assertTrue(run.err().startsWith("smartupdate: unknown option '/frobnicate'\n"), run.err());
    assertTrue(run.err().contains("--help"));
    assertEquals(2, run("--frobnicate").code());
  }

  @Test
  void badValueNamesTheOption() {
    CliRun run = run("/port", "eighty");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("/port") && run.err().contains("eighty"), run.err());
    CliRun range = run("--port", "70000");
    assertEquals(2, range.code());
    assertTrue(range.err().contains("/port: 70000"), range.err());
    assertEquals(2, run("/port").code());
  }

  @Test
  void ftpOptionsInBothForms() {
    ServerConfig sum = parse("/ftp_port", "2121", "/ftp_passive_ports", "40100-40199", "/ftp_users", "/etc/su/ftp-users");
    ServerConfig gnu = parse("--ftp-port=2121", "--ftp-passive-ports=40100-40199", "--ftp-users=/etc/su/ftp-users");
    assertEquals(sum, gnu);
    assertEquals(2121, sum.ftp().port());
    assertEquals(40100, sum.ftp().passive().first());
    assertEquals(Path.of("/etc/su/ftp-users"), sum.ftp().usersFile());
    assertNull(parse().ftp(), "FTP is off by default");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/ftp_passive_ports=40100-40199", "/ftp_port=70000", "/ftp_port=21 /ftp_passive_ports=80-90"})
  void badFtpSettingsAreOneLineAndExit2(String options) {
    CliRun run = run(options.split(" "));
    assertEquals(2, run.code());
    assertTrue(run.err().startsWith("smartupdate: ") && run.err().contains("ftp"), run.err());
    assertEquals(2, run.err().lines().count(), run.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h", "/?", "/help", "/HELP"})
  void helpShowsBothForms(String flag) {
    CliRun run = run(flag);
    assertEquals(0, run.code());
    assertTrue(run.out().contains("/port") && run.out().contains("--port"), run.out());
    assertTrue(run.out().contains("/ssl_port") && run.out().contains("--ssl-port"), run.out());
  }

  @Test
  void versionPrintsTheVersion() {
    CliRun run = run("--version");
    assertEquals(0, run.code());
    assertTrue(run.out().startsWith("smartupdate "), run.out());
  }

  @Test
  void handoffOptionsInBothForms() {
    ServerConfig sum = parse("/handoff_ports", "40000-40099", "/handoff_random", "/handoff_idle", "30", "/handoff_max_life", "600");
    ServerConfig gnu = parse("--handoff-ports=40000-40099", "--handoff-random", "--handoff-idle=30", "--handoff-max-life=600");
    assertEquals(sum, gnu);
    assertEquals(40000, sum.handoff().firstPort());
    assertEquals(40099, sum.handoff().lastPort());
    assertTrue(sum.handoff().random());
    assertEquals(30, sum.handoff().idle().toSeconds());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/handoff_ports=80-90", "/handoff_ports=63099-63010", "/handoff_ports=lots", "/handoff_idle=0"})
  void badHandoffSettingsAreOneLineAndExit2(String option) {
    CliRun run = run(option);
    assertEquals(2, run.code());
    assertTrue(run.err().startsWith("smartupdate: invalid value for /handoff_ports"), run.err());
    assertEquals(2, run.err().lines().count(), run.err());
  }

  @Test
  void firewallOptionsInBothForms() {
    assertEquals(FirewallMode.OPEN, parse("/open_firewall").firewall());
    assertEquals(FirewallMode.OPEN, parse("--open-firewall").firewall());
    assertEquals(FirewallMode.DRY_RUN, parse("/dryrun_firewall").firewall());
    assertEquals(FirewallMode.DRY_RUN, parse("--dry-run-firewall", "--open-firewall").firewall());
    assertEquals(FirewallMode.OFF, parse().firewall());
  }

  @Test
  void portsSubcommandPrintsTheTable() {
    CliRun run = run("ports", "/port", "8080");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("8080") && run.out().contains("VMware"), run.out());
    assertEquals(2, run("ports", "--format", "xml").code());
  }

  @Test
  void keyWithoutCertIsRefused() {
    CliRun run = run("/key", "/tmp/k.pem");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("/cert"), run.err());
  }

  @Test
  void aServerCommandLineBuildsNoSubcommandsAndEverythingElseGetsThemAll() {
    CommandLine server = Main.serverOnly(new String[] {"/port", "80", "--repo", "/srv/fw"});
    assertTrue(server != null && server.getSubcommands().isEmpty());
    assertNull(Main.serverOnly(new String[] {"PORTS", "/port", "80"}));
    assertNull(Main.serverOnly(new String[] {"/?"}));
    // an error: the whole command line reports it, as it always did
    assertNull(Main.serverOnly(new String[] {"deplyo"}));
    CliRun help = run("--help");
    assertEquals(0, help.code(), help.err());
    assertTrue(help.out().contains("deploy") && help.out().contains("ports"), help.out());
    CliRun typo = run("deplyo");
    assertEquals(2, typo.code());
    assertTrue(typo.err().contains("deplyo"), typo.err());
  }
}
