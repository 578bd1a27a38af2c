package io.smartupdate.ftp;

import static io.smartupdate.ftp.FtpFixture.SECRET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestTls;
import io.smartupdate.tls.TlsMaterial;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a client can and cannot do on the FTP service, over real sockets with Apache Commons Net. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FtpClientCommandsIT {
  @TempDir static Path dir;
  static Path repo;
  static byte[] image;
  static byte[] bios;
  static TlsMaterial tls;
  static FtpService ftp;

  @BeforeAll
  static void start() throws Exception {
    FtpFixture.Repo fixture = FtpFixture.repository(dir);
    repo = fixture.root();
    image = fixture.image();
    bios = fixture.bios();
    tls = FtpFixture.tls();
    ftp = FtpService.start(FtpFixture.config(0), null, false, repo, tls); // all interfaces
  }

  @AfterAll
  static void stop() {
    if (ftp != null) ftp.close();
  }

  @Test
  void anonymousListsTheRepositoryWithNamesAndSizes() throws Exception {
    FTPClient client = FtpClients.anonymous(ftp.port());
    try {
      Map<String, Long> listed = new TreeMap<>();
      for (FTPFile file : client.listFiles()) listed.put(file.getName(), file.isDirectory() ? -1 : file.getSize());
      assertEquals(Map.of("ilo5_281.bin", (long) image.length, "sub", -1L), listed);
      assertArrayEquals(new String[] {"bios_u46.bin"}, client.listNames("sub"));
    } finally {
      FtpClients.quit(client);
    }
  }

  @Test
  void passiveBinaryDownloadIsByteExactOnTheConfiguredPorts() throws Exception {
    FTPClient client = FtpClients.anonymous(ftp.port());
    try {
      assertArrayEquals(image, FtpClients.download(client, "ilo5_281.bin"));
      int passive = client.getPassivePort();
      String[] range = ftp.passiveRange().split("-");
      assertTrue(passive >= Integer.parseInt(range[0]) && passive <= Integer.parseInt(range[1]), "passive port " + passive);
      assertTrue(client.changeWorkingDirectory("sub"));
      assertArrayEquals(bios, FtpClients.download(client, "bios_u46.bin"));
      assertArrayEquals(image, FtpClients.download(client, "/ilo5_281.bin"));
    } finally {
      FtpClients.quit(client);
    }
  }

  @Test
  void plainBinaryDownloadsLeaveBySendfileWhileAsciiOnesKeepFtpServersConversion() throws Exception {
    Path notes = Files.writeString(repo.resolve("sub/notes.txt"), "line one\nline two\n");
    FTPClient client = FtpClients.anonymous(ftp.port());
    try {
      long before = SendfileDataConnections.sentBySendfile();
      client.setRestartOffset(1000);
      assertArrayEquals(Arrays.copyOfRange(image, 1000, image.length), FtpClients.download(client, "ilo5_281.bin"));
      assertEquals(image.length - 1000, SendfileDataConnections.sentBySendfile() - before, "the binary RETR went by sendfile");

      assertTrue(client.setFileType(FTP.ASCII_FILE_TYPE));
      long beforeAscii = SendfileDataConnections.sentBySendfile();
      assertEquals("line one\nline two\n", new String(FtpClients.download(client, "sub/notes.txt"), StandardCharsets.US_ASCII));
      assertEquals(beforeAscii, SendfileDataConnections.sentBySendfile(), "ASCII goes through FtpServer's line-ending copy");
      assertTrue(client.setFileType(FTP.BINARY_FILE_TYPE));
      assertArrayEquals(bios, FtpClients.download(client, "sub/bios_u46.bin"), "binary again after ASCII");
    } finally {
      FtpClients.quit(client);
      Files.delete(notes);
    }
  }

  @Test
  void protPSentAfterPasvStillGivesATlsDataConnection() throws Exception {
    FtpClients.Ftps client = FtpClients.ftps(ftp.port(), tls.leaf());
    try {
      assertTrue(client.login("anonymous", "bmc@example.com"), client.getReplyString());
      client.execPBSZ(0);
      assertTrue(client.setFileType(FTP.BINARY_FILE_TYPE));
      assertEquals(227, client.pasv(), client.getReplyString()); // a plain passive listener first ...
      Matcher m = Pattern.compile(".*\\((\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)\\).*", Pattern.DOTALL)
          .matcher(client.getReplyString());
      assertTrue(m.matches(), client.getReplyString());
      int port = Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6));
      client.execPROT("P"); // ... then the data connection must be TLS all the same
      long before = SendfileDataConnections.sentBySendfile();
      assertEquals(150, client.sendCommand("RETR", "ilo5_281.bin"), client.getReplyString());
      SSLContext context = TestTls.trusting(tls.leaf());
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      try (Socket raw = new Socket("127.0.0.1", port);
           SSLSocket data = (SSLSocket) context.getSocketFactory().createSocket(raw, "127.0.0.1", port, true)) {
        data.setSoTimeout(10_000);
        data.startHandshake(); // fails if the server sends the file in the clear
        data.getInputStream().transferTo(received);
      }
      assertTrue(client.completePendingCommand(), client.getReplyString());
      assertArrayEquals(image, received.toByteArray());
      assertEquals(before, SendfileDataConnections.sentBySendfile(), "TLS data never goes by sendfile");
    } finally {
      FtpClients.quit(client);
    }
  }

  @Test
  void sizeAndMdtmAnswerForFiles() throws Exception {
    FTPClient client = FtpClients.anonymous(ftp.port());
    try {
      assertEquals(String.valueOf(image.length), client.getSize("ilo5_281.bin"));
      assertEquals(String.valueOf(bios.length), client.getSize("/sub/bios_u46.bin"));
      String expected = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC)
          .format(Files.getLastModifiedTime(repo.resolve("ilo5_281.bin")).toInstant());
      String mdtm = client.getModificationTime("ilo5_281.bin");
      assertTrue(mdtm.startsWith(expected), mdtm + " vs " + expected);
      assertNull(client.getSize("no-such.bin"));
    } finally {
      FtpClients.quit(client);
    }
  }

  @Test
  void restartOffsetGivesExactlyTheTail() throws Exception {
    FTPClient client = FtpClients.anonymous(ftp.port());
    try {
      client.setRestartOffset(123_457);
      assertArrayEquals(Arrays.copyOfRange(image, 123_457, image.length), FtpClients.download(client, "ilo5_281.bin"));
      assertArrayEquals(image, FtpClients.download(client, "ilo5_281.bin"), "the offset applies to one transfer only");
    } finally {
      FtpClients.quit(client);
    }
  }

  @Test
  void everyWriteCommandIsRefusedWith550() throws Exception {
    Map<String, String> before = snapshot();
    FTPClient client = FtpClients.anonymous(ftp.port());
    try {
      assertFalse(client.storeFile("new.bin", new ByteArrayInputStream(new byte[100])));
      assertEquals(550, client.getReplyCode(), "STOR");
      assertFalse(client.appendFile("ilo5_281.bin", new ByteArrayInputStream(new byte[100])));
      assertEquals(550, client.getReplyCode(), "APPE");
      assertFalse(client.storeUniqueFile(new ByteArrayInputStream(new byte[100])));
      assertEquals(550, client.getReplyCode(), "STOU");
      assertEquals(550, client.sendCommand("DELE", "ilo5_281.bin"));
      assertEquals(550, client.sendCommand("RNFR", "ilo5_281.bin"));
      assertEquals(550, client.sendCommand("RNTO", "renamed.bin"));
      assertEquals(550, client.sendCommand("MKD", "newdir"));
      assertEquals(550, client.sendCommand("XMKD", "newdir"));
      assertEquals(550, client.sendCommand("RMD", "sub"));
      assertEquals(550, client.sendCommand("SITE", "CHMOD 777 ilo5_281.bin"));
      assertEquals(550, client.sendCommand("MFMT", "20000101000000 ilo5_281.bin"));
      assertArrayEquals(image, FtpClients.download(client, "ilo5_281.bin"), "the session still works");
    } finally {
      FtpClients.quit(client);
    }
    assertEquals(before, snapshot());
  }

  @Test
  void traversalAndLinksOutOfTheRepositoryAreRefused() throws Exception {
    FTPClient client = FtpClients.anonymous(ftp.port());
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try {
      for (String dir : new String[] {"..", "/..", "../outside", "link-outside", "/link-outside", "sub/../.."}) {
        assertFalse(client.changeWorkingDirectory(dir), "CWD " + dir);
        assertEquals(550, client.getReplyCode(), "CWD " + dir);
        assertEquals("/", client.printWorkingDirectory());
      }
      assertFalse(client.changeToParentDirectory(), "CDUP at the root");
      for (String file : new String[] {"../secret.txt", "/../secret.txt", "../outside/secret.txt", "link-secret.txt",
          "link-outside/secret.txt", "..\\secret.txt", "sub/../../secret.txt", ".hidden"}) {
        assertFalse(client.retrieveFile(file, received), "RETR " + file);
        assertTrue(FTPReply.isNegativePermanent(client.getReplyCode()), "RETR " + file + ": " + client.getReplyString());
        assertNull(client.getSize(file), "SIZE " + file);
      }
      assertEquals(0, client.listFiles("link-outside").length);
      assertEquals(0, client.listFiles("..").length);
      assertTrue(client.changeWorkingDirectory("sub"));
      assertFalse(client.retrieveFile("../../secret.txt", received));
      // Listings that hide the links must still list the repository: an empty or failed LIST
      // would pass every "no link-" check, so the files that must be there are named first.
      Set<String> root = names(client.listFiles("/"));
      assertTrue(root.containsAll(Set.of("ilo5_281.bin", "sub")), "LIST / shows the repository: " + root);
      assertTrue(root.stream().noneMatch(n -> n.startsWith("link-") || n.startsWith(".")), root.toString());
      Set<String> all = names(client.listFiles("-a /"));
      assertTrue(all.containsAll(Set.of("ilo5_281.bin", "sub")), "LIST -a / shows the repository: " + all);
      assertTrue(all.stream().noneMatch(n -> n.startsWith("link-") || n.startsWith(".hidden")), all.toString());
      assertEquals(1, client.listFiles("/sub").length, "a listing of the directory next to the link works");
    } finally {
      FtpClients.quit(client);
    }
    assertFalse(received.toString(StandardCharsets.ISO_8859_1).contains(SECRET), "the secret was received");
  }

  @Test
  void explicitFtpsListsAndDownloadsOverTls12Or13() throws Exception {
    FtpClients.Ftps client = FtpClients.ftps(ftp.port(), tls.leaf());
    try {
      String protocol = client.controlSession().getProtocol();
      assertTrue(protocol.equals("TLSv1.3") || protocol.equals("TLSv1.2"), protocol);
      assertTrue(client.login("anonymous", "bmc@example.com"), client.getReplyString());
      client.execPBSZ(0);
      client.execPROT("P");
      client.enterLocalPassiveMode();
      client.setFileType(FTP.BINARY_FILE_TYPE);
      assertEquals(2, client.listFiles().length);
      assertArrayEquals(image, FtpClients.download(client, "ilo5_281.bin"));
      assertEquals(550, client.sendCommand("DELE", "ilo5_281.bin"));
    } finally {
      FtpClients.quit(client);
    }
  }

  // The passive-address check: a data connection must come from the control connection's address,
  // or anyone who guesses the passive port could take the download. 127.0.0.2 is another source
  // address on the same loopback interface.
  @Test
  void passiveDataConnectionFromAnotherAddressIsRefusedAndFromTheClientsOwnWorks() throws Exception {
    assertArrayEquals(image, passiveRetr(InetAddress.getByName("127.0.0.1")), "control: same address downloads");
    assertArrayEquals(new byte[0], passiveRetr(InetAddress.getByName("127.0.0.2")), "another address gets nothing");
  }

  /** USER/PASS/TYPE I/PASV/RETR over a raw control connection from 127.0.0.1, the data connection from {@code dataFrom}. */
  private static byte[] passiveRetr(InetAddress dataFrom) throws Exception {
    try (Socket control = new Socket()) {
      control.connect(new InetSocketAddress("127.0.0.1", ftp.port()), 5000);
      control.setSoTimeout(10_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(control.getInputStream(), StandardCharsets.US_ASCII));
      Writer out = new OutputStreamWriter(control.getOutputStream(), StandardCharsets.US_ASCII);
      assertTrue(reply(in).startsWith("220"));
      for (String[] step : new String[][] {{"USER anonymous", "331"}, {"PASS bmc@example.com", "230"}, {"TYPE I", "200"}}) {
        out.write(step[0] + "\r\n");
        out.flush();
        String answer = reply(in);
        assertTrue(answer.startsWith(step[1]), step[0] + ": " + answer);
      }
      out.write("PASV\r\n");
      out.flush();
      String pasv = reply(in);
      Matcher m = Pattern.compile("227 .*\\((\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)\\).*").matcher(pasv);
      assertTrue(m.matches(), pasv);
      int port = Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6));
      try (Socket data = new Socket()) {
        data.bind(new InetSocketAddress(dataFrom, 0));
        data.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        data.setSoTimeout(10_000);
        out.write("RETR ilo5_281.bin\r\n");
        out.flush();
        String retr = reply(in);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try {
          data.getInputStream().transferTo(received);
        } catch (SocketException e) {
          // reset: the server refused the connection after accepting it
        }
        String last = retr.startsWith("150") ? reply(in) : retr;
        boolean sameAddress = dataFrom.equals(control.getLocalAddress());
        // FtpServer closes the foreign data connection and then reports the transfer failed (551).
        assertTrue(sameAddress ? last.startsWith("226") : last.startsWith("4") || last.startsWith("5"),
            (sameAddress ? "transfer complete: " : "the transfer fails: ") + last);
        return received.toByteArray();
      }
    }
  }

  private static String reply(BufferedReader in) throws IOException {
    String line = in.readLine();
    assertTrue(line != null, "the control connection closed");
    while (line.length() > 3 && line.charAt(3) == '-') line = in.readLine(); // multi-line reply: the last line counts
    return line;
  }

  private static Set<String> names(FTPFile[] files) {
    Set<String> names = new TreeSet<>();
    for (FTPFile file : files) names.add(file.getName());
    return names;
  }

  private static Map<String, String> snapshot() throws IOException {
    try (Stream<Path> files = Files.walk(repo)) {
      return files.collect(Collectors.toMap(p -> repo.relativize(p).toString(), p -> {
        try {
          return Files.isRegularFile(p) ? Samples.sha256(Files.readAllBytes(p)) + "@" + Files.getLastModifiedTime(p) : "dir";
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }, (a, b) -> a, TreeMap::new));
    }
  }
}
