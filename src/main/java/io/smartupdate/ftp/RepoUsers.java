package io.smartupdate.ftp;

import io.smartupdate.core.StartupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ftpserver.FtpServerConfigurationException;
import org.apache.ftpserver.ftplet.Authentication;
import org.apache.ftpserver.ftplet.AuthenticationFailedException;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.User;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.usermanager.AnonymousAuthentication;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.SaltedPasswordEncryptor;
import org.apache.ftpserver.usermanager.UsernamePasswordAuthentication;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.ConcurrentLoginPermission;
import org.apache.ftpserver.usermanager.impl.TransferRatePermission;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may log in: anonymous always, plus the users of an optional users file (format: see
 * {@link FtpPasswordHash}). Every user gets the repository root as home and never a
 * {@link WritePermission}, whatever the file says; the file is read once, at start.
 */
final class RepoUsers implements UserManager {
  private static final Logger log = LoggerFactory.getLogger(RepoUsers.class);
  static final String ANONYMOUS = "anonymous";
  // FtpServer would take 0 as "never time out"; an idle control connection must not live forever.
  static final int IDLE_SECONDS = 300;

  private final String home;
  private final UserManager file;
  private final Path source;
  // One warning per broken entry: a client retrying that name must not be able to flood the log.
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  private RepoUsers(Path realRoot, UserManager file, Path source) {
    this.home = realRoot.toString();
    this.file = file;
    this.source = source;
  }

  static RepoUsers anonymousOnly(Path realRoot) {
    return new RepoUsers(realRoot, null, null);
  }

  /** Anonymous plus the users of {@code usersFile}; a missing or unreadable file is a startup error. */
  static RepoUsers withFile(Path realRoot, Path usersFile) {
    if (!Files.isRegularFile(usersFile) || !Files.isReadable(usersFile)) {
      throw new StartupException("FTP users file " + usersFile + " does not exist or is not readable: create it "
          + "(java -cp ... io.smartupdate.ftp.FtpPasswordHash USER prints an entry) or leave the users file out");
    }
    PropertiesUserManagerFactory factory = new PropertiesUserManagerFactory();
    factory.setFile(usersFile.toFile());
    factory.setPasswordEncryptor(new SaltedPasswordEncryptor());
    UserManager manager;
    String[] names;
    try {
      manager = factory.createUserManager();
      names = manager.getAllUserNames();
    } catch (FtpServerConfigurationException | FtpException e) {
      throw new StartupException("FTP users file " + usersFile + " cannot be read: " + e.getMessage(), e);
    }
    if (names.length == 0) {
      log.warn("FTP users file {} defines no users (each needs a homedirectory and a userpassword line)", usersFile);
    }
    warnIfOthersCanRead(usersFile);
    return new RepoUsers(realRoot, manager, usersFile);
  }

  @Override
  public User authenticate(Authentication authentication) throws AuthenticationFailedException {
    if (authentication instanceof AnonymousAuthentication) return readOnly(ANONYMOUS, null);
    if (file == null || !(authentication instanceof UsernamePasswordAuthentication login)
        || ANONYMOUS.equals(login.getUsername())) {
      throw new AuthenticationFailedException("Authentication failed");
    }
    User stored;
    try {
      stored = file.authenticate(login);
    } catch (IllegalArgumentException e) {
      // SaltedPasswordEncryptor refuses a stored password that is not "salt:hash".
      warnOnce(login.getUsername(), "its userpassword is not a salted hash; regenerate it with FtpPasswordHash");
      throw new AuthenticationFailedException("Authentication failed");
    }
    if (stored == null) {
      // The password matched, but FtpServer only knows users that have a homedirectory line.
      warnOnce(login.getUsername(), "it has no homedirectory line; add ftpserver.user."
          + login.getUsername() + ".homedirectory=/");
      throw new AuthenticationFailedException("Authentication failed");
    }
    if (!stored.getEnabled()) throw new AuthenticationFailedException("Authentication failed");
    return readOnly(stored.getName(), stored);
  }

  @Override
  public User getUserByName(String name) throws FtpException {
    if (ANONYMOUS.equals(name)) return readOnly(ANONYMOUS, null);
    User stored = file == null ? null : file.getUserByName(name);
    return stored == null ? null : readOnly(name, stored);
  }

  @Override
  public String[] getAllUserNames() throws FtpException {
    List<String> names = new ArrayList<>(List.of(ANONYMOUS));
    if (file != null) names.addAll(List.of(file.getAllUserNames()));
    return names.toArray(String[]::new);
  }

  @Override
  public void delete(String name) throws FtpException {
    throw new FtpException("FTP users are read-only here; edit the users file and restart");
  }

  @Override
  public void save(User user) throws FtpException {
    throw new FtpException("FTP users are read-only here; edit the users file and restart");
  }

  @Override
  public boolean doesExist(String name) throws FtpException {
    return getUserByName(name) != null;
  }

  @Override
  public String getAdminName() {
    return ""; // no FTP administrator: SITE commands are refused anyway
  }

  @Override
  public boolean isAdmin(String name) {
    return false;
  }

  /** A copy confined to the repository: the stored limits (logins, rates, idle time) kept, write permission dropped. */
  private User readOnly(String name, User stored) {
    BaseUser user = new BaseUser();
    user.setName(name);
    user.setHomeDirectory(home);
    user.setEnabled(true);
    List<Authority> authorities = new ArrayList<>();
    if (stored == null) {
      // Anonymous BMCs: no per-user cap or rate limit; the server-wide login limit still applies.
      authorities.add(new ConcurrentLoginPermission(0, 0));
      authorities.add(new TransferRatePermission(0, 0));
    } else {
      for (Authority authority : stored.getAuthorities()) {
        if (!(authority instanceof WritePermission)) authorities.add(authority);
      }
    }
    user.setAuthorities(authorities);
    int idle = stored == null ? 0 : stored.getMaxIdleTime();
    user.setMaxIdleTime(idle > 0 ? idle : IDLE_SECONDS);
    return user;
  }

  private void warnOnce(String name, String problem) {
    if (warned.add(name)) {
      log.warn("FTP users file {}: user '{}' cannot log in: {}", source, RepoPaths.printable(name), problem);
    }
  }

  private static void warnIfOthersCanRead(Path usersFile) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(usersFile);
      if (permissions.contains(PosixFilePermission.OTHERS_READ) || permissions.contains(PosixFilePermission.GROUP_READ)) {
        log.warn("FTP users file {} is readable by other users; its hashes are weak against guessing: chmod 600 it",
            usersFile);
      }
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system (Windows): nothing to check.
    }
  }
}
