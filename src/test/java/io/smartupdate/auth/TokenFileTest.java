package io.smartupdate.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.core.StartupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
  @TempDir Path dir;

  @Test
  void firstStartWritesAnOwnerOnlyRandomTokenThatLaterStartsReuse() throws Exception {
    String token = TokenFile.loadOrCreate(dir);
    Path file = dir.resolve(TokenFile.NAME);
    assertEquals(token + "\n", Files.readString(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(32, Base64.getUrlDecoder().decode(token).length, "32 random bytes, URL-safe base64");
    assertEquals(token, TokenFile.loadOrCreate(dir), "the second start reuses it");
  }

  @Test
  void eachDataDirectoryGetsItsOwnUnguessableToken(@TempDir Path other) {
    String a = TokenFile.loadOrCreate(dir);
    String b = TokenFile.loadOrCreate(other);
    assertNotEquals(a, b);
    assertNotEquals("A".repeat(43), a, "32 zero bytes would encode as all 'A'");
  }

  @Test
  void aTokenFileOthersCanReadIsTightenedToOwnerOnly() throws Exception {
    Path file = dir.resolve(TokenFile.NAME);
    Files.writeString(file, "x".repeat(40) + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertEquals("x".repeat(40), TokenFile.loadOrCreate(dir), "a token of the operator's own is kept, trimmed");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void aTokenShorterThan32CharactersIsRefusedNamingTheFile() throws Exception {
    Path file = dir.resolve(TokenFile.NAME);
    Files.writeString(file, "x".repeat(31) + "\n");
    StartupException e = assertThrows(StartupException.class, () -> TokenFile.loadOrCreate(dir));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("32"), e.getMessage());
    Files.writeString(file, "x".repeat(32));
    assertEquals("x".repeat(32), TokenFile.loadOrCreate(dir), "exactly 32 is enough");
  }

  @Test
  void findReadsTheServersTokenAndNeverCreatesOne() throws Exception {
    assertNull(TokenFile.find(dir), "no file: a server with --insecure-writes, or none started yet");
    assertFalse(Files.exists(dir.resolve(TokenFile.NAME)), "a client never creates the server's token");
    String token = TokenFile.loadOrCreate(dir);
    assertEquals(token, TokenFile.find(dir));
    Files.writeString(dir.resolve(TokenFile.NAME), "short\n");
    assertNull(TokenFile.find(dir), "a token the server would refuse is none");
  }
}
