package io.smartupdate.cli;

import io.smartupdate.redfish.Bmc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --bmc-file}: one BMC a line, {@code HOST[:PORT] [USER [PASSWORD-FILE]]}; blank lines and
 * {@code #} comments are skipped. A bad line is named by its number. Never a password itself:
 * the third field is a file holding it.
 */
final class BmcFile {
  private BmcFile() {}

  /** A problem in the file, with its line number. */
  static final class Invalid extends Exception {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  static List<Bmc> read(Path file, String user, String password, String hint) throws Invalid {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new Invalid("cannot read --bmc-file " + file + ": " + e.getMessage());
    }
    List<Bmc> bmcs = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      String where = file + " line " + (i + 1);
      String[] fields = line.split("\\s+");
      if (fields.length > 3) throw new Invalid(where + ": expected HOST[:PORT] [USER [PASSWORD-FILE]], found " + fields.length + " fields");
      String lineUser = fields.length > 1 ? fields[1] : user;
      String linePassword = password;
      if (fields.length > 2) {
        Path passwordFile = file.toAbsolutePath().getParent().resolve(fields[2]);
        try {
          linePassword = BmcOptions.readPassword(passwordFile);
        } catch (IOException e) {
          throw new Invalid(where + ": cannot read the password file " + passwordFile + ": " + e.getMessage());
        }
      }
      if (lineUser == null) throw new Invalid(where + ": no user (give one on the line, or --user)");
      if (linePassword == null) throw new Invalid(where + ": no password (a password file on the line, --password-file, or SMARTUPDATE_BMC_PASSWORD)");
      try {
        bmcs.add(new Bmc(fields[0], lineUser, linePassword, hint));
      } catch (IllegalArgumentException e) {
        throw new Invalid(where + ": " + e.getMessage());
      }
    }
    if (bmcs.isEmpty()) throw new Invalid("--bmc-file " + file + " lists no BMC");
    return bmcs;
  }
}
