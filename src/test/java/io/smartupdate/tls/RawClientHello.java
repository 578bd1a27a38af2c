package io.smartupdate.tls;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;

/**
 * A ClientHello written by hand, for what no JDK client can offer (TLS 1.0/1.1 are off in
 * {@code jdk.tls.disabledAlgorithms}), and the first record the server sends back.
 */
public final class RawClientHello {
  public static final int TLS11 = 0x0302;
  public static final int TLS12 = 0x0303;

  /** The server's first record: a handshake whose first message type is {@code message}, or an alert. */
  public record Reply(int contentType, int level, int message) {
    static final int HANDSHAKE = 22;
    static final int ALERT = 21;

    public boolean isServerHello() {
      return contentType == HANDSHAKE && message == 2;
    }

    public boolean isFatalAlert(int description) {
      return contentType == ALERT && level == 2 && message == description;
    }
  }

  private RawClientHello() {}

  /** Sends a ClientHello for {@code version} offering exactly {@code suites} and reads the first record back. */
  public static Reply send(int port, int version, int... suites) throws IOException {
    try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), port)) {
      raw.setSoTimeout(10_000);
      raw.getOutputStream().write(record(version, suites));
      raw.getOutputStream().flush();
      DataInputStream in = new DataInputStream(raw.getInputStream());
      int type = in.readUnsignedByte();
      in.readUnsignedShort(); // record version
      in.readUnsignedShort(); // length
      if (type == Reply.ALERT) return new Reply(type, in.readUnsignedByte(), in.readUnsignedByte());
      return new Reply(type, 0, in.readUnsignedByte());
    }
  }

  /** A ClientHello record with the extensions an ECDHE + RSA/ECDSA handshake needs. */
  static byte[] record(int version, int... suites) {
    try {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(body);
      out.writeShort(version);
      out.write(new byte[32]); // random
      out.writeByte(0); // session id
      out.writeShort(suites.length * 2);
      for (int suite : suites) out.writeShort(suite);
      out.writeByte(1);
      out.writeByte(0); // null compression
      byte[] extensions = {
        0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x17, 0x00, 0x1d, // supported_groups: secp256r1, x25519
        0x00, 0x0b, 0x00, 0x02, 0x01, 0x00, // ec_point_formats: uncompressed
        0x00, 0x0d, 0x00, 0x08, 0x00, 0x06, 0x08, 0x04, 0x04, 0x01, 0x04, 0x03, // signature_algorithms: PSS, PKCS#1, ECDSA with SHA-256
      };
      out.writeShort(extensions.length);
      out.write(extensions);
      byte[] hello = body.toByteArray();

      ByteArrayOutputStream record = new ByteArrayOutputStream();
      DataOutputStream rec = new DataOutputStream(record);
      rec.writeByte(Reply.HANDSHAKE);
      rec.writeShort(0x0301);
      rec.writeShort(hello.length + 4);
      rec.writeByte(1); // client_hello
      rec.writeByte(0);
      rec.writeShort(hello.length);
      rec.write(hello);
      return record.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
