package io.smartupdate.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.ftp.FtpConfig;
import io.smartupdate.http.Json;
import io.smartupdate.testing.Ports;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;

/** FTP as part of the server: started with it, on the ready line and /health, stopped with it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServerWithFtpIT {
  @TempDir Path dir;

  @Test
  void ftpServesTheSameRepositoryAndIsReported() throws Exception {
    int passive = Ports.freeRange(10);
    FtpConfig ftp = FtpConfig.onPort(0).withPassiveRange(passive + "-" + (passive + 9));
    int port;
    try (TestServer server = TestServer.start(dir, c -> c.ftp(ftp))) {
      byte[] image = Samples.write(server.repo().resolve("nic/bcm235.fwpkg"), 300_000, 8);
      port = server.server().ftpPort();
      assertTrue(port > 0);
      assertTrue(server.server().readyLine().contains(" ftp=" + port + " "), server.server().readyLine());
      JsonNode health = Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/health").body());
      assertEquals(port, health.get("ports").get("ftp").asInt());

      FTPClient client = new FTPClient();
      client.connect("127.0.0.1", port);
      assertTrue(client.login("anonymous", "bmc@example"));
      client.enterLocalPassiveMode();
      client.setFileType(FTP.BINARY_FILE_TYPE);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertTrue(client.retrieveFile("nic/bcm235.fwpkg", out));
      assertArrayEquals(image, out.toByteArray());
      assertFalse(client.storeFile("upload.bin", new ByteArrayInputStream(new byte[10])));
      assertEquals(550, client.getReplyCode());
      client.logout();
      client.disconnect();
    }
    assertTrue(Ports.bindable(port), "the FTP port is free after stop");
  }
}
