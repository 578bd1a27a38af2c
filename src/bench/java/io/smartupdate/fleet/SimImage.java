package io.smartupdate.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.smartupdate.testing.Samples;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;

/**
 * The simulated BMCs' firmware images: one header line {@code SIMFW1 MEMBER VERSION SHA256\n} (the
 * inventory member it updates, the version it brings, the SHA-256 of the payload that follows),
 * then the payload. A sim BMC checks that SHA-256 over what it fetched before it flashes, as a
 * real BMC checks an image's signature; a cut or altered image fails its task.
 */
public final class SimImage {
  /** The three members of every sim BMC's FirmwareInventory, in the order deployed: the BIOS, a NIC, its own firmware (it resets). */
  public static final List<String> MEMBERS = List.of("BIOS", "NIC", "BMC");
  /** The version every sim BMC starts with, on every member. */
  public static final String INSTALLED = "1.00";
  /** The version the served baseline brings. */
  public static final String TARGET = "2.00";
  private static final String MAGIC = "SIMFW1";
  private static final int MAX_HEADER = 128;

  /** What an image header says: the member it updates, the version it brings, its payload's SHA-256. */
  record Header(String member, String version, String sha256, int length) {}

  private SimImage() {}

  /** Reads an image as it arrives: the header first, then the payload's SHA-256 and length, nothing kept. */
  static final class Check {
    private final byte[] start = new byte[MAX_HEADER];
    private int startLength;
    private Header header;
    private String problem;
    private long payload;
    private final MessageDigest digest;

    Check() {
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The body subscriber of a fetch answered {@code status}: a non-200 reads nothing and fails the check. */
    HttpResponse.BodySubscriber<Void> subscriber(int status) {
      if (status != 200) {
        problem = "the server answered " + status;
        return HttpResponse.BodySubscribers.replacing(null);
      }
      return HttpResponse.BodySubscribers.fromSubscriber(new Flow.Subscriber<List<ByteBuffer>>() {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
          subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
          buffers.forEach(Check.this::take);
        }

        @Override
        public void onError(Throwable error) {
          problem = "the transfer failed: " + error;
        }

        @Override
        public void onComplete() {}
      }, s -> null);
    }

    private void take(ByteBuffer buffer) {
      if (problem != null) return;
      if (header == null) {
        int n = Math.min(buffer.remaining(), MAX_HEADER - startLength);
        buffer.get(start, startLength, n);
        startLength += n;
        try {
          header = parseHeader(start, startLength);
        } catch (IllegalArgumentException e) {
          problem = e.getMessage();
          return;
        }
        if (header == null) return;
        digest.update(start, header.length(), startLength - header.length());
        payload += startLength - header.length();
      }
      payload += buffer.remaining();
      digest.update(buffer);
    }

    Header header() {
      return header;
    }

    /** Why the image must not be flashed on {@code target} (null: any member), or null when it is whole and for that member. */
    String verdict(String target) {
      if (problem != null) return problem;
      if (header == null) return "the image ended before its header (" + startLength + " bytes)";
      String sha = HexFormat.of().formatHex(digest.digest());
      if (!sha.equals(header.sha256())) return "checksum mismatch: " + payload + " payload bytes with SHA-256 " + sha + ", the header says " + header.sha256();
      if (target != null && !target.equals(header.member())) return "the image is for " + header.member() + ", not the Targets' " + target;
      if (!MEMBERS.contains(header.member())) return "this BMC has no " + header.member();
      return null;
    }
  }

  /** An image for {@code member} bringing {@code version}: the header, then {@code payloadBytes} seeded bytes. */
  public static byte[] build(String member, String version, int payloadBytes) {
    byte[] payload = Samples.bytes(payloadBytes, (member + version).hashCode());
    byte[] header = (MAGIC + " " + member + " " + version + " " + Samples.sha256(payload) + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] image = new byte[header.length + payload.length];
    System.arraycopy(header, 0, image, 0, header.length);
    System.arraycopy(payload, 0, image, header.length, payload.length);
    return image;
  }

  /** The header at the start of {@code start} (the first bytes fetched), or null while it is not complete yet. */
  static Header parseHeader(byte[] start, int length) {
    for (int i = 0; i < Math.min(length, MAX_HEADER); i++) {
      if (start[i] != '\n') continue;
      String[] fields = new String(start, 0, i, StandardCharsets.US_ASCII).split(" ");
      if (fields.length != 4 || !fields[0].equals(MAGIC)) throw new IllegalArgumentException("not a sim firmware image (no " + MAGIC + " header)");
      return new Header(fields[1], fields[2], fields[3], i + 1);
    }
    if (length >= MAX_HEADER) throw new IllegalArgumentException("not a sim firmware image (no header line in the first " + MAX_HEADER + " bytes)");
    return null;
  }

  /**
   * Writes one image per member (bringing {@link #TARGET}) under {@code repo/sim/} and the default
   * baseline {@code repo/baseline.json} that names them: a baseline deploy then has three steps on
   * each sim BMC, its own firmware last.
   */
  public static void writeRepository(Path repo, int payloadBytes) throws IOException {
    List<Map<String, Object>> components = new ArrayList<>();
    int order = 10; // the BMC's own firmware last: it resets the BMC
    for (String member : MEMBERS) {
      byte[] image = build(member, TARGET, payloadBytes);
      String file = "sim/" + member.toLowerCase() + "-" + TARGET + ".bin";
      Files.createDirectories(repo.resolve("sim"));
      Files.write(repo.resolve(file), image);
      Map<String, Object> component = new LinkedHashMap<>();
      component.put("id", "sim-" + member.toLowerCase());
      component.put("class", member.equals("BMC") ? "bmc" : member.equals("BIOS") ? "bios" : "nic");
      component.put("file", file);
      component.put("sha256", Samples.sha256(image));
      component.put("size", image.length);
      component.put("version", TARGET);
      component.put("match", Map.of("nameRegex", "^" + SimBmc.memberName(member) + "$"));
      component.put("order", order);
      order += 10;
      components.add(component);
    }
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(repo.resolve("baseline.json").toFile(), Map.of("description", "three components of every sim BMC", "components", components));
  }
}
