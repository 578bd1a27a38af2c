package io.smartupdate.tls;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import io.smartupdate.testing.Tools;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCSP stapling is on, and an OCSP responder that never answers (an isolated management network)
 * or a certificate without an OCSP URL costs the client a staple, not the handshake.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OcspStaplingIT {
  @TempDir Path dir;

  @Test
  void serverAsksTheCertificatesResponderAndHandshakesWithoutAStapleWhenItNeverAnswers() throws Exception {
    Path openssl = Tools.require("openssl");
    try (ServerSocket responder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Socket> asked = CompletableFuture.supplyAsync(() -> {
        try {
          return responder.accept(); // and never answer
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      Path chain = caIssuedChain(openssl, "http://127.0.0.1:" + responder.getLocalPort() + "/");
      try (TestServer server = TestServer.start(dir, c -> c.operatorCertificate(chain, dir.resolve("leaf.key")))) {
        String output = statusRequest(openssl, server.port(Scheme.HTTPS));

        assertTrue(asked.get(10, TimeUnit.SECONDS).isConnected(), "the server asked the certificate's OCSP responder");
        assertTrue(output.contains("OCSP response: no response sent"), output);
        assertTrue(output.contains(" 200 OK"), "the handshake completed and the request was served:\n" + output);
      } finally {
        if (asked.isDone()) asked.get().close();
      }
    }
  }

  @Test
  void certificateWithoutOcspUrlHandshakesWithoutAStaple() throws Exception {
    Path openssl = Tools.require("openssl");
    try (TestServer server = TestServer.start(dir)) {
      String output = statusRequest(openssl, server.port(Scheme.HTTPS));

      assertTrue(output.contains("OCSP response: no response sent"), output);
      assertTrue(output.contains(" 200 OK"), output);
    }
  }

  /** A test CA and a leaf for 127.0.0.1 whose AIA names {@code ocspUrl}; returns leaf + CA as one PEM. */
  private Path caIssuedChain(Path openssl, String ocspUrl) throws Exception {
    Files.writeString(dir.resolve("leaf.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
        + "extendedKeyUsage=serverAuth\nauthorityInfoAccess=OCSP;URI:" + ocspUrl + "\n");
    openssl(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
        "-days", "2", "-subj", "/CN=smartupdate test CA");
    openssl(openssl, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr",
        "-subj", "/CN=localhost");
    openssl(openssl, "x509", "-req", "-in", "leaf.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "leaf.crt", "-days", "2", "-extfile", "leaf.ext");
    // SunJSSE needs the issuer in the chain to name the certificate in its OCSP request.
    return Files.writeString(dir.resolve("chain.pem"),
        Files.readString(dir.resolve("leaf.crt")) + Files.readString(dir.resolve("ca.crt")));
  }

  private void openssl(Path openssl, String... arguments) throws Exception {
    String[] command = new String[arguments.length + 1];
    command[0] = openssl.toString();
    System.arraycopy(arguments, 0, command, 1, arguments.length);
    Path log = dir.resolve("openssl.log");
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, () -> String.join(" ", command) + ": " + read(log));
  }

  // -status sends status_request; s_client prints what came back, or "no response sent".
  private String statusRequest(Path openssl, int port) throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, "s_client", ".log");
    String script = "(sleep 4; printf 'GET /health HTTP/1.0\\r\\n\\r\\n'; sleep 2) | " + openssl
        + " s_client -connect 127.0.0.1:" + port + " -status -servername localhost";
    Tools.run(30, log, "sh", "-c", script);
    return Files.readString(log);
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return e.getMessage();
    }
  }
}
