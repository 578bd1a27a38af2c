package io.smartupdate.ftp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.TestTls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPSClient;

/** Commons Net clients for the FTP tests, with timeouts so a broken server fails a test instead of hanging it. */
final class FtpClients {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private FtpClients() {}

  static FTPClient connect(int port) throws IOException {
    FTPClient client = new FTPClient();
    configure(client);
    client.connect("127.0.0.1", port);
    return client;
  }

  static FTPClient anonymous(int port) throws IOException {
    FTPClient client = connect(port);
    assertTrue(client.login("anonymous", "bmc@example.com"), client.getReplyString());
    binaryPassive(client);
    return client;
  }

  static void binaryPassive(FTPClient client) throws IOException {
    client.enterLocalPassiveMode();
    assertTrue(client.setFileType(FTP.BINARY_FILE_TYPE));
  }

  /** Explicit FTPS (AUTH TLS at connect) trusting exactly {@code certificate}. */
  static Ftps ftps(int port, X509Certificate certificate) throws Exception {
    Ftps client = new Ftps();
    client.setTrustManager(TestTls.trustManager(certificate));
    configure(client);
    client.connect("127.0.0.1", port);
    return client;
  }

  static byte[] download(FTPClient client, String path) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(client.retrieveFile(path, out), "RETR " + path + ": " + client.getReplyString());
    return out.toByteArray();
  }

  static void quit(FTPClient client) {
    try {
      client.logout();
    } catch (IOException e) {
      // already gone
    }
    try {
      client.disconnect();
    } catch (IOException e) {
      // already gone
    }
  }

  private static void configure(FTPClient client) {
    client.setConnectTimeout((int) TIMEOUT.toMillis());
    client.setDefaultTimeout((int) TIMEOUT.toMillis());
    client.setDataTimeout(TIMEOUT);
  }

  /** An explicit FTPS client that shows the control connection's TLS session. */
  static final class Ftps extends FTPSClient {
    Ftps() {
      super(false);
    }

    SSLSession controlSession() {
      return ((SSLSocket) _socket_).getSession();
    }
  }
}
