package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** deploy's usage errors: one line naming the fix, exit 2, before any server or BMC is touched. */
class DeployCommandTest {
  @TempDir Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/passwd", "/PASSWD", "--password"})
  void aPasswordOnTheCommandLineIsRefusedAndNeverEchoed(String option) {
    CliRun run = run("deploy", "/target", "10.0.0.5", "/user", "admin", option, "hunter2-secret", "/image", "hpe/x.bin");
    assertEquals(2, run.code());
    assertEquals("smartupdate: /passwd is refused: a password never goes on the command line; use --password-file FILE or"
        + " SMARTUPDATE_BMC_PASSWORD", run.err().lines().findFirst().orElse(""));
    assertFalse(run.err().contains("hunter2") || run.out().contains("hunter2"), run.err());
  }

  @Test
  void noBmcNamesBothWaysToGiveOne() {
    CliRun run = run("deploy", "--image", "hpe/x.bin");
    assertEquals(2, run.code());
    assertTrue(run.err().startsWith("smartupdate: no BMC: pass --bmc HOST[:PORT] (or /target) or --bmc-file FILE"), run.err());
  }

  @Test
  void aBadBmcFileLineIsNamedByItsNumber() throws Exception {
    Path password = Files.writeString(dir.resolve("pw"), "secret\n");
    Path bmcs = Files.writeString(dir.resolve("bmcs.txt"), "# lab\n10.0.0.5\n\n10.0.0.6 admin pw extra-field\n");
    CliRun run = run("deploy", "--bmc-file", bmcs.toString(), "--user", "admin", "--password-file", password.toString(), "--image", "hpe/x.bin");
    assertEquals(2, run.code());
    assertTrue(run.err().startsWith("smartupdate: " + bmcs + " line 4: expected HOST[:PORT] [USER [PASSWORD-FILE]], found 4 fields"), run.err());
  }

  @Test
  void aBmcFileLineWithABadAddressIsNamedToo() throws Exception {
    Path password = Files.writeString(dir.resolve("pw"), "secret\n");
    Path bmcs = Files.writeString(dir.resolve("bmcs.txt"), "10.0.0.5\nhttps://10.0.0.6/redfish\n");
    CliRun run = run("deploy", "--bmc-file", bmcs.toString(), "--user", "admin", "--password-file", password.toString(), "--image", "hpe/x.bin");
    assertEquals(2, run.code());
    assertTrue(run.err().startsWith("smartupdate: " + bmcs + " line 2: BMC address 'https://10.0.0.6/redfish': must be HOST or HOST:PORT"), run.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"--canary", "--max-failures"})
  void aNegativeRolloutLimitIsAUsageError(String option) throws Exception {
    Path password = Files.writeString(dir.resolve("pw"), "secret\n");
    CliRun run = run("deploy", "--bmc", "10.0.0.5", "--user", "admin", "--password-file", password.toString(), "--image", "hpe/x.bin", option, "-1");
    assertEquals(2, run.code());
    assertTrue(run.err().startsWith("smartupdate: invalid value for " + option + ": -1 (expected "), run.err());
  }

  @Test
  void noPasswordSourceIsAUsageError() {
    CliRun run = run("deploy", "--bmc", "10.0.0.5", "--user", "admin", "--image", "hpe/x.bin");
    // The variable may be set where the tests run; only without it is this a usage error.
    if (System.getenv(BmcOptions.PASSWORD_ENV) != null) return;
    assertEquals(2, run.code());
    assertTrue(run.err().startsWith("smartupdate: no BMC password: pass --password-file FILE or set SMARTUPDATE_BMC_PASSWORD"), run.err());
  }

  @Test
  void bmcCaAndInsecureExcludeEachOther() throws Exception {
    Path password = Files.writeString(dir.resolve("pw"), "secret\n");
    CliRun run = run("deploy", "--bmc", "10.0.0.5", "--user", "admin", "--password-file", password.toString(), "--image", "hpe/x.bin",
        "--bmc-ca", "ca.pem", "--insecure-bmc");
    assertEquals(2, run.code());
    assertTrue(run.err().startsWith("smartupdate: --bmc-ca and --insecure-bmc exclude each other: choose one"), run.err());
  }

  @Test
  void aPasswordFileKeepsOnlyItsFirstLine() throws Exception {
    assertEquals("s3cret with spaces", BmcOptions.readPassword(Files.writeString(dir.resolve("pw"), "s3cret with spaces\n")));
  }

  @Test
  void helpListsTheSumForms() {
    CliRun run = run("deploy", "/?");
    assertEquals(0, run.code());
    assertTrue(run.out().contains("/target") && run.out().contains("--bmc") && run.out().contains("/dryrun") && run.out().contains("/targettype"), run.out());
    assertFalse(run.out().contains("/passwd"), "the refused option is hidden");
  }

  @Test
  void serverIsTheOldNameOfPublicUrlAndSaysSo() throws Exception {
    Path password = Files.writeString(dir.resolve("pw"), "secret\n");
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    CliRun run = run("deploy", "--bmc", "10.0.0.5", "--user", "admin", "--password-file", password.toString(), "--image", "hpe/x.bin",
        "--port", String.valueOf(closed), "--data", dir.resolve("data").toString(), "--logdir", dir.resolve("logs").toString(),
        "--server", "http://127.0.0.1:" + closed);
    assertEquals(2, run.code());
    List<String> lines = run.err().lines().toList();
    assertEquals("smartupdate: warning: deploy --server is now --public-url; the old name goes in the next release", lines.get(0));
    assertEquals("smartupdate: no smartupdate server answers at http://127.0.0.1:" + closed + " or on port " + closed
        + " of this machine", lines.get(1), "the old name still does what --public-url does");
  }

  @Test
  void publicUrlAndItsOldNameTogetherAreAUsageError() throws Exception {
    Path password = Files.writeString(dir.resolve("pw"), "secret\n");
    CliRun run = run("deploy", "--bmc", "10.0.0.5", "--user", "admin", "--password-file", password.toString(), "--image", "hpe/x.bin",
        "--public-url", "http://a:63001", "/server", "http://b:63001");
    assertEquals(2, run.code());
    assertTrue(run.err().startsWith("smartupdate: --server is the old name of --public-url: give only --public-url"), run.err());
  }

  @Test
  void helpNamesPublicUrlNotItsOldName() {
    CliRun run = run("deploy", "--help");
    assertTrue(run.out().contains("--public-url") && run.out().contains("/public_url"), run.out());
    assertFalse(run.out().contains("--server"), run.out());
  }
}
