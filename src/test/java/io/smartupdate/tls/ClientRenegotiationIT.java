package io.smartupdate.tls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import io.smartupdate.testing.Tools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * testssl.sh's {@code secure_client_renego} check by hand: {@code openssl s_client} sends "R" on a
 * TLS 1.2 connection, then a request. An OpenSSL server renegotiates and answers (the control); the
 * real HTTPS listener must drop the connection instead of doing a second handshake.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientRenegotiationIT {
  private static final String REQUEST = "GET /health HTTP/1.0\\r\\n\\r\\n";

  @TempDir Path dir;
  private Process controlServer;

  @Test
  void httpsListenerRefusesRenegotiationThatOpensslServerAccepts() throws Exception {
    Path openssl = Tools.require("openssl");
    try (TestServer server = TestServer.start(dir)) {
      String control = renegotiateAgainst(openssl, controlServerPort(openssl));
      String afterR = control.substring(control.indexOf("RENEGOTIATING"));
      assertTrue(afterR.contains("verify return") && afterR.contains(" 200 "), "control: s_client renegotiates:\n" + control);

      String output = renegotiateAgainst(openssl, server.port(Scheme.HTTPS));
      assertTrue(output.contains("RENEGOTIATING"), output);
      String refused = output.substring(output.indexOf("RENEGOTIATING"));
      // SunJSSE answers handshake_failure; BoringSSL (the default engine, TlsEngines) no_renegotiation.
      assertTrue(refused.contains("alert handshake failure") || refused.contains("alert no renegotiation"),
          "refused with a handshake_failure or no_renegotiation alert:\n" + output);
      assertFalse(refused.contains("verify return"), "a second handshake completed:\n" + output);
      assertFalse(refused.contains(" 200 "), "the connection survived the renegotiation:\n" + output);
    } finally {
      if (controlServer != null) controlServer.destroyForcibly().waitFor();
    }
  }

  @Test
  void jdkClientRenegotiationEndsTheConnection() throws Exception {
    try (TestServer server = TestServer.start(dir);
        SSLSocket socket = (SSLSocket) server.sslContext().getSocketFactory()
            .createSocket("127.0.0.1", server.port(Scheme.HTTPS))) {
      socket.setSoTimeout(10_000);
      socket.setEnabledProtocols(new String[] {"TLSv1.2"});
      socket.startHandshake();
      socket.startHandshake(); // on an established TLS 1.2 session: a client-initiated renegotiation
      assertThrows(IOException.class, () -> {
        socket.getOutputStream().write("GET /health HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (socket.getInputStream().read() == -1) throw new IOException("closed by the server");
      });
    }
  }

  /** {@code openssl s_server} with the test server's own certificate, TLS 1.2, any port; OpenSSL 3 refuses client renegotiation unless told. */
  private int controlServerPort(Path openssl) throws IOException {
    controlServer = new ProcessBuilder(openssl.toString(), "s_server", "-accept", "127.0.0.1:0", "-www", "-tls1_2", "-client_renegotiation",
        "-cert", dir.resolve("certs/server.crt").toString(), "-key", dir.resolve("certs/server.key").toString())
        .redirectErrorStream(true).start();
    BufferedReader lines = new BufferedReader(new InputStreamReader(controlServer.getInputStream(), StandardCharsets.UTF_8));
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (line.startsWith("ACCEPT")) return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim());
    }
    throw new AssertionError("openssl s_server did not start");
  }

  // s_client reads "R" from stdin as "renegotiate"; the sleeps let each step finish first.
  private String renegotiateAgainst(Path openssl, int port) throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, "s_client", ".log");
    String script = "(sleep 1; echo R; sleep 2; printf '" + REQUEST + "'; sleep 2) | " + openssl
        + " s_client -connect 127.0.0.1:" + port + " -tls1_2 -servername localhost";
    Tools.run(30, log, "sh", "-c", script);
    return Files.readString(log);
  }
}
