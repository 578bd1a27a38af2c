package io.smartupdate.ftp;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.regex.Pattern;
import org.apache.ftpserver.usermanager.SaltedPasswordEncryptor;

/**
 * Prints the users-file entry for one named FTP user. Named users, like anonymous, may only list
 * and download from the repository.
 *
 * <p>The users file is Apache FtpServer's properties format; two lines per user:
 * <pre>
 * # bmc-lab: read-only FTP login for the lab's BMCs
 * ftpserver.user.bmc-lab.homedirectory=/
 * ftpserver.user.bmc-lab.userpassword=10335012:4690747AF2E0F93A41D4B6EF6C3B39EF
 * </pre>
 * {@code userpassword} is {@code salt:hash} as FtpServer's {@code SaltedPasswordEncryptor} writes
 * it (1,000 rounds of salted MD5: weak against guessing, so keep the file {@code chmod 600}).
 * {@code homedirectory} must be present (FtpServer only knows users that have one) but its value is
 * ignored: every user sees the repository root. Optional: {@code enableflag=false} disables a user;
 * {@code maxloginnumber}, {@code maxloginperip}, {@code downloadrate} and {@code idletime} are
 * honoured; {@code writepermission} is ignored (never granted). The file is read at start.
 *
 * <p>To produce an entry (the password is read without echo, or from stdin when there is no console):
 * <pre>
 * java -cp 'target/smartupdate.jar:target/lib/*' io.smartupdate.ftp.FtpPasswordHash bmc-lab &gt;&gt; data/ftp-users.properties
 * </pre>
 */
public final class FtpPasswordHash {
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private FtpPasswordHash() {}

  /** Reads a password and prints the users-file lines for the user named by the single argument. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: FtpPasswordHash USER   (prints the FTP users-file entry; reads the password)");
      System.exit(2);
    }
    try {
      checkUser(args[0]);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
    String password = readPassword(args[0]);
    if (password == null || password.isEmpty()) {
      System.err.println("no password given");
      System.exit(2);
    }
    System.out.print(entry(args[0], password));
  }

  /** The lines for {@code user} with a freshly salted hash of {@code password}. */
  static String entry(String user, String password) {
    checkUser(user);
    String prefix = "ftpserver.user." + user + ".";
    return prefix + "homedirectory=/\n" + prefix + "userpassword=" + new SaltedPasswordEncryptor().encrypt(password) + "\n";
  }

  // Property keys must stay unambiguous; "anonymous" always logs in as anonymous, whatever its password.
  private static void checkUser(String user) {
    if (!USER.matcher(user).matches() || user.equals(RepoUsers.ANONYMOUS)) {
      throw new IllegalArgumentException("FTP user name '" + RepoPaths.printable(user)
          + "' must be 1-64 of [A-Za-z0-9._-], start with a letter or digit, and not be 'anonymous'");
    }
  }

  private static String readPassword(String user) throws IOException {
    Console console = System.console();
    if (console != null) {
      char[] password = console.readPassword("FTP password for %s: ", user);
      return password == null ? null : new String(password);
    }
    // No terminal (a script piping the password in): the first line of stdin.
    return new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset())).readLine();
  }
}
