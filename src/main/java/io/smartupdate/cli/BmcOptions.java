package io.smartupdate.cli;

import io.smartupdate.redfish.Bmc;
import io.smartupdate.redfish.BmcTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The BMC options of deploy and analyze: the BMCs, their accounts, how their certificates are checked, how many at once; a password is read from a file or the environment, never from the command line. */
final class BmcOptions {
  static final String PASSWORD_ENV = "SMARTUPDATE_BMC_PASSWORD";
  private static final Set<String> HINTS = Set.of("ilo5", "ilo6", "idrac", "openbmc", "redfish");

  @Option(names = {"/target", "--bmc"}, paramLabel = "HOST[:PORT]", description = "a BMC (repeatable)")
  List<String> bmcs = new ArrayList<>();

  @Option(names = {"/bmc_file", "--bmc-file"}, paramLabel = "FILE", description = "BMCs, one a line: HOST[:PORT] [USER [PASSWORD-FILE]]")
  Path bmcFile;

  @Option(names = {"/user", "--user"}, paramLabel = "U", description = "BMC account")
  String user;

  @Option(names = {"/password_file", "--password-file"}, paramLabel = "F", description = "file holding the BMC password (else env " + PASSWORD_ENV + ")")
  Path passwordFile;

  @Option(names = {"/passwd", "/password", "--password", "-p"}, arity = "0..1", hidden = true, paramLabel = "P")
  String refusedPassword;

  @Option(names = {"/targettype", "--target-type"}, paramLabel = "T", description = "dialect hint, names the node: ilo5, ilo6, idrac, openbmc, redfish")
  String targetType;

  @Option(names = {"/parallel", "--parallel"}, paramLabel = "N", description = "BMCs at once (default: 16)")
  int parallel = 16;

  @Option(names = {"/bmc_ca", "--bmc-ca"}, paramLabel = "FILE", description = "PEM CA (or certificates) that BMC certificates must chain to")
  Path bmcCa;

  @Option(names = {"/insecure_bmc", "--insecure-bmc"}, description = "do not verify BMC certificates (a warning says so)")
  boolean insecureBmc;

  /** --parallel, checked. */
  int parallel(CommandLine self) {
    if (parallel < 1) throw new ParameterException(self, "invalid value for --parallel: " + parallel + " (expected 1 or more)");
    return parallel;
  }

  /** How BMC certificates are checked: --bmc-ca, --insecure-bmc, or the JDK's CAs. */
  SSLContext tls(CommandLine self) {
    if (bmcCa != null && insecureBmc) throw new ParameterException(self, "--bmc-ca and --insecure-bmc exclude each other: choose one");
    if (insecureBmc) return BmcTls.insecure();
    if (bmcCa == null) {
      try {
        return SSLContext.getDefault(); // the JDK's CAs: BMCs with a certificate from a public or enterprise CA in cacerts
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    try {
      return BmcTls.trusting(bmcCa);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(self, e.getMessage());
    }
  }

  /** The BMCs to deploy to, each with its account; a usage error names what is missing. */
  List<Bmc> bmcs(CommandLine self) {
    if (refusedPassword != null) {
      throw new ParameterException(self, "/passwd is refused: a password never goes on the command line; use --password-file FILE or "
          + PASSWORD_ENV);
    }
    if (bmcs.isEmpty() && bmcFile == null) throw new ParameterException(self, "no BMC: pass --bmc HOST[:PORT] (or /target) or --bmc-file FILE");
    String hint = targetType == null ? null : targetType.toLowerCase(Locale.ROOT);
    if (hint != null && !HINTS.contains(hint)) throw new ParameterException(self, "invalid value for /targettype: '" + targetType + "' (expected one of " + HINTS + ")");
    String password = password(self);
    List<Bmc> list = new ArrayList<>();
    for (String address : bmcs) {
      if (user == null) throw new ParameterException(self, "--bmc needs --user U");
      if (password == null) throw new ParameterException(self, "no BMC password: pass --password-file FILE or set " + PASSWORD_ENV);
      try {
        list.add(new Bmc(address, user, password, hint));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(self, e.getMessage());
      }
    }
    if (bmcFile != null) {
      try {
        list.addAll(BmcFile.read(bmcFile, user, password, hint));
      } catch (BmcFile.Invalid e) {
        throw new ParameterException(self, e.getMessage());
      }
    }
    return list;
  }

  private String password(CommandLine self) {
    if (passwordFile != null) {
      try {
        return readPassword(passwordFile);
      } catch (IOException e) {
        throw new ParameterException(self, "cannot read --password-file " + passwordFile + ": " + e.getMessage());
      }
    }
    Map<String, String> env = System.getenv();
    String fromEnv = env.get(PASSWORD_ENV);
    return fromEnv == null || fromEnv.isEmpty() ? null : fromEnv;
  }

  /** The first line of the file: a trailing newline is not part of the password. */
  static String readPassword(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return text.lines().findFirst().orElse("");
  }
}
