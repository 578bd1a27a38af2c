package io.smartupdate.ftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.core.StartupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.ftpserver.ftplet.AuthenticationFailedException;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.User;
import org.apache.ftpserver.usermanager.AnonymousAuthentication;
import org.apache.ftpserver.usermanager.SaltedPasswordEncryptor;
import org.apache.ftpserver.usermanager.UsernamePasswordAuthentication;
import org.apache.ftpserver.usermanager.impl.ConcurrentLoginRequest;
import org.apache.ftpserver.usermanager.impl.WriteRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoUsersTest {
  @TempDir Path dir;
  private Path repo;
  private Path usersFile;

  @BeforeEach
  void files() throws Exception {
    repo = Files.createDirectories(dir.resolve("repo")).toRealPath();
    usersFile = dir.resolve("ftp-users.properties");
    Files.writeString(usersFile, FtpPasswordHash.entry("bmc", "s3cret-pass")
        + "ftpserver.user.bmc.writepermission=true\n"
        + "ftpserver.user.bmc.homedirectory=/etc\n"
        + FtpPasswordHash.entry("off", "pw") + "ftpserver.user.off.enableflag=false\n"
        + "ftpserver.user.nohome.userpassword=" + new SaltedPasswordEncryptor().encrypt("pw") + "\n"
        + "ftpserver.user.plain.homedirectory=/\nftpserver.user.plain.userpassword=cleartext\n");
    Files.setPosixFilePermissions(usersFile, PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void anonymousIsAlwaysAllowedReadOnlyInTheRepository() throws Exception {
    User user = RepoUsers.anonymousOnly(repo).authenticate(new AnonymousAuthentication());
    assertEquals("anonymous", user.getName());
    assertReadOnlyInRepository(user);
    assertNotNull(user.authorize(new ConcurrentLoginRequest(50, 50)), "no per-user cap for anonymous BMCs");
  }

  @Test
  void withoutAUsersFileNamedLoginsFail() {
    assertThrows(AuthenticationFailedException.class,
        () -> RepoUsers.anonymousOnly(repo).authenticate(new UsernamePasswordAuthentication("bmc", "s3cret-pass")));
  }

  @Test
  void namedUserLogsInReadOnlyWhateverTheFileSays() throws Exception {
    User user = RepoUsers.withFile(repo, usersFile).authenticate(new UsernamePasswordAuthentication("bmc", "s3cret-pass"));
    assertEquals("bmc", user.getName());
    assertReadOnlyInRepository(user);
  }

  @Test
  void wrongPasswordUnknownUserDisabledUserAndBrokenEntriesAreRefused() {
    RepoUsers users = RepoUsers.withFile(repo, usersFile);
    for (String[] login : new String[][] {{"bmc", "wrong"}, {"nobody", "s3cret-pass"}, {"off", "pw"}, {"nohome", "pw"},
        {"plain", "cleartext"}, {"anonymous", "x"}}) {
      assertThrows(AuthenticationFailedException.class,
          () -> users.authenticate(new UsernamePasswordAuthentication(login[0], login[1])), login[0]);
    }
  }

  @Test
  void usersAreKnownByName() throws FtpException {
    RepoUsers users = RepoUsers.withFile(repo, usersFile);
    assertTrue(users.doesExist("anonymous"));
    assertTrue(users.doesExist("bmc"));
    assertNull(users.getUserByName("nobody"));
    assertReadOnlyInRepository(users.getUserByName("bmc"));
    assertArrayEquals(new String[] {"anonymous", "bmc", "off", "plain"}, users.getAllUserNames());
    assertThrows(FtpException.class, () -> users.delete("bmc"));
    assertThrows(FtpException.class, () -> users.save(users.getUserByName("bmc")));
    assertTrue(!users.isAdmin("admin") && !users.isAdmin("bmc"));
  }

  @Test
  void missingUsersFileIsAStartupErrorNamingIt() {
    Path missing = dir.resolve("no-such-users.properties");
    StartupException e = assertThrows(StartupException.class, () -> RepoUsers.withFile(repo, missing));
    assertTrue(e.getMessage().startsWith("FTP users file " + missing + " does not exist or is not readable"), e.getMessage());
    StartupException directory = assertThrows(StartupException.class, () -> RepoUsers.withFile(repo, dir));
    assertTrue(directory.getMessage().contains(dir.toString()), directory.getMessage());
  }

  private void assertReadOnlyInRepository(User user) {
    assertNull(user.authorize(new WriteRequest()), "no write permission");
    assertEquals(repo.toString(), user.getHomeDirectory());
    assertTrue(user.getEnabled());
    assertEquals(RepoUsers.IDLE_SECONDS, user.getMaxIdleTime());
  }
}
