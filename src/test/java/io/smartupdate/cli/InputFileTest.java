package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFileTest {
  @TempDir Path dir;

  private Path write(String yaml) throws Exception {
    return Files.writeString(dir.resolve("run.yaml"), yaml);
  }

  @Test
  void readsTargetsCredentialsBaselineAndOptionsWithPathsBesideTheFile() throws Exception {
    InputFile in = InputFile.read(write("""
        targets: [10.0.0.5, "10.0.0.6:8443"]
        targetType: ilo5
        credentials:
          user: admin
          passwordFile: secrets/bmc-password
        bmcCa: bmc-ca.pem
        baseline: gen10
        options: {downgrade: true, reboot: never, dryRun: true, canary: 1, maxFailures: 2, parallel: 8}
        """));
    assertEquals(List.of("10.0.0.5", "10.0.0.6:8443"), in.targets());
    assertEquals(new InputFile.Credentials("admin", dir.toAbsolutePath().resolve("secrets/bmc-password")), in.credentials());
    assertEquals(dir.toAbsolutePath().resolve("bmc-ca.pem"), in.bmcCa());
    assertEquals("gen10", in.baseline());
    assertEquals(new InputFile.Options(true, false, "never", true, 1, 2, 8), in.options());
  }

  @Test
  void anInlinePasswordIsRefusedNamingItsLine() throws Exception {
    Path file = write("targets: [10.0.0.5]\ncredentials:\n  user: admin\n  password: hunter2\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputFile.read(file));
    assertEquals("--input " + file + " line 4: 'password:' is refused: a password never goes in an input file; name a file holding it "
        + "with credentials: {passwordFile: FILE}", e.getMessage());
  }

  @Test
  void anUnknownKeyIsNamedWithItsLine() throws Exception {
    Path file = write("targets: [10.0.0.5]\nbaselin: gen10\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputFile.read(file));
    assertEquals(true, e.getMessage().startsWith("--input " + file + " line 2: unknown key 'baselin' (known: "), e.getMessage());
  }
}
