package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;

/** Byte-exact downloads with RFC 9110 ranges and conditionals, over HTTP and HTTPS. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FirmwareServingIT {
  private static final int SIZE = 3 * 1024 * 1024 + 17;
  @TempDir static Path dir;
  static TestServer server;
  static byte[] image;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(dir);
    image = Samples.write(server.repo().resolve("hpe/ilo5_310.bin"), SIZE, 42);
    Samples.write(server.repo().resolve("empty.bin"), 0, 1);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void fullGetIsByteExactWithValidatorsAndDigest(Scheme scheme) throws Exception {
    HttpResponse<byte[]> r = server.get(scheme, "/firmware/hpe/ilo5_310.bin");
    assertEquals(200, r.statusCode());
    assertArrayEquals(image, r.body());
    assertEquals(String.valueOf(SIZE), header(r, "content-length"));
    assertEquals("bytes", header(r, "accept-ranges"));
    assertEquals("application/octet-stream", header(r, "content-type"));
    assertTrue(header(r, "etag").matches("\"[0-9a-f-]+\""), header(r, "etag"));
    assertTrue(header(r, "last-modified").endsWith("GMT"));
    // The digest is computed in the background; the catalog waits for it, then full responses carry it.
    server.getString(scheme, "/api/catalog");
    HttpResponse<byte[]> again = server.get(scheme, "/firmware/hpe/ilo5_310.bin");
    String expected = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(Samples.sha256(image)));
    assertEquals("sha-256=:" + expected + ":", header(again, "repr-digest"));
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void headHasTheHeadersOfGetAndNoBody(Scheme scheme) throws Exception {
    HttpResponse<Void> r = server.head(scheme, "/firmware/hpe/ilo5_310.bin");
    assertEquals(200, r.statusCode());
    assertEquals(String.valueOf(SIZE), header(r, "content-length"));
    assertEquals(header(server.get(scheme, "/firmware/hpe/ilo5_310.bin"), "etag"), header(r, "etag"));
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void singleRangesAreByteExact(Scheme scheme) throws Exception {
    assertRange(scheme, "bytes=0-0", 0, 0);
    assertRange(scheme, "bytes=1000-1999", 1000, 1999);
    assertRange(scheme, "bytes=" + (SIZE - 10) + "-", SIZE - 10, SIZE - 1);
    assertRange(scheme, "bytes=-4096", SIZE - 4096, SIZE - 1);
    assertRange(scheme, "bytes=2000000-999999999", 2000000, SIZE - 1);
  }

  private void assertRange(Scheme scheme, String range, int first, int last) throws Exception {
    HttpResponse<byte[]> r = server.get(scheme, "/firmware/hpe/ilo5_310.bin", "Range", range);
    assertEquals(206, r.statusCode(), range);
    assertEquals("bytes " + first + "-" + last + "/" + SIZE, header(r, "content-range"));
    assertEquals(String.valueOf(last - first + 1), header(r, "content-length"));
    assertArrayEquals(Arrays.copyOfRange(image, first, last + 1), r.body(), range);
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void multipleRangesAreAByteExactMultipartBody(Scheme scheme) throws Exception {
    HttpResponse<byte[]> r = server.get(scheme, "/firmware/hpe/ilo5_310.bin", "Range", "bytes=10-19, 3000000-3000099, -5");
    assertEquals(206, r.statusCode());
    String type = header(r, "content-type");
    assertTrue(type.startsWith("multipart/byteranges; boundary="), type);
    assertEquals(String.valueOf(r.body().length), header(r, "content-length"));
    String boundary = type.substring(type.indexOf('=') + 1);
    String body = new String(r.body(), StandardCharsets.ISO_8859_1);
    Matcher part = Pattern.compile("--" + boundary + "\r\nContent-Type: application/octet-stream\r\n"
        + "Content-Range: bytes (\\d+)-(\\d+)/" + SIZE + "\r\n\r\n").matcher(body);
    int[][] expected = {{10, 19}, {3000000, 3000099}, {SIZE - 5, SIZE - 1}};
    for (int[] range : expected) {
      assertTrue(part.find(), "missing part " + Arrays.toString(range));
      assertEquals(range[0], Integer.parseInt(part.group(1)));
      assertEquals(range[1], Integer.parseInt(part.group(2)));
      byte[] data = body.substring(part.end(), part.end() + range[1] - range[0] + 1).getBytes(StandardCharsets.ISO_8859_1);
      assertArrayEquals(Arrays.copyOfRange(image, range[0], range[1] + 1), data);
    }
    assertFalse(part.find());
    assertTrue(body.endsWith("\r\n--" + boundary + "--\r\n"));
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void overlappingRangesAreCoalescedNotRepeated(Scheme scheme) throws Exception {
    HttpResponse<byte[]> r = server.get(scheme, "/firmware/hpe/ilo5_310.bin", "Range", "bytes=0-99,50-149");
    assertEquals(206, r.statusCode());
    assertEquals("bytes 0-149/" + SIZE, header(r, "content-range"));
    assertArrayEquals(Arrays.copyOfRange(image, 0, 150), r.body());
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void rangePastEndAnswers416WithSize(Scheme scheme) throws Exception {
    HttpResponse<String> r = server.getString(scheme, "/firmware/hpe/ilo5_310.bin", "Range", "bytes=" + SIZE + "-");
    assertEquals(416, r.statusCode());
    assertEquals("bytes */" + SIZE, header(r, "content-range"));
    assertEquals("range_not_satisfiable", Json.MAPPER.readTree(r.body()).get("error").asText());
    assertEquals(416, server.getString(scheme, "/firmware/empty.bin", "Range", "bytes=0-").statusCode());
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void malformedRangeIsIgnoredAndTheWholeImageSent(Scheme scheme) throws Exception {
    HttpResponse<byte[]> r = server.get(scheme, "/firmware/hpe/ilo5_310.bin", "Range", "bytes=9-1");
    assertEquals(200, r.statusCode());
    assertArrayEquals(image, r.body());
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void ifRangeWithCurrentValidatorsHonoursTheRangeAndOtherwiseSendsAll(Scheme scheme) throws Exception {
    HttpResponse<Void> head = server.head(scheme, "/firmware/hpe/ilo5_310.bin");
    String etag = header(head, "etag");
    String lastModified = header(head, "last-modified");
    assertEquals(206, server.get(scheme, "/firmware/hpe/ilo5_310.bin", "Range", "bytes=5-9", "If-Range", etag).statusCode());
    assertEquals(206, server.get(scheme, "/firmware/hpe/ilo5_310.bin", "Range", "bytes=5-9", "If-Range", lastModified).statusCode());
    HttpResponse<byte[]> stale = server.get(scheme, "/firmware/hpe/ilo5_310.bin", "Range", "bytes=5-9", "If-Range", "\"stale\"");
    assertEquals(200, stale.statusCode());
    assertArrayEquals(image, stale.body());
    assertEquals(200, server.get(scheme, "/firmware/hpe/ilo5_310.bin", "Range", "bytes=5-9", "If-Range", "W/" + etag).statusCode());
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void conditionalGetsAnswer304And412(Scheme scheme) throws Exception {
    HttpResponse<Void> head = server.head(scheme, "/firmware/hpe/ilo5_310.bin");
    String etag = header(head, "etag");
    HttpResponse<byte[]> notModified = server.get(scheme, "/firmware/hpe/ilo5_310.bin", "If-None-Match", etag);
    assertEquals(304, notModified.statusCode());
    assertEquals(0, notModified.body().length);
    assertEquals(etag, header(notModified, "etag"));
    assertEquals(304, server.get(scheme, "/firmware/hpe/ilo5_310.bin", "If-Modified-Since", header(head, "last-modified")).statusCode());
    assertEquals(200, server.get(scheme, "/firmware/hpe/ilo5_310.bin", "If-None-Match", "\"other\"",
        "If-Modified-Since", header(head, "last-modified")).statusCode());
    assertEquals(200, server.get(scheme, "/firmware/hpe/ilo5_310.bin", "If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT").statusCode());
    assertEquals(412, server.get(scheme, "/firmware/hpe/ilo5_310.bin", "If-Match", "\"other\"").statusCode());
    assertEquals(206, server.get(scheme, "/firmware/hpe/ilo5_310.bin", "If-Match", etag, "Range", "bytes=0-1").statusCode());
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void catalogListsEveryImageWithItsSha256AndUrl(Scheme scheme) throws Exception {
    HttpResponse<String> r = server.getString(scheme, "/api/catalog");
    assertEquals(200, r.statusCode());
    assertEquals("application/json", header(r, "content-type"));
    JsonNode images = Json.MAPPER.readTree(r.body()).get("images");
    JsonNode ilo = null;
    for (JsonNode node : images) if (node.get("path").asText().equals("hpe/ilo5_310.bin")) ilo = node;
    assertTrue(ilo != null, r.body());
    assertEquals(SIZE, ilo.get("size").asLong());
    assertEquals(Samples.sha256(image), ilo.get("sha256").asText());
    assertEquals(server.uri(scheme, "/firmware/hpe/ilo5_310.bin").toString(), ilo.get("url").asText());
    assertTrue(ilo.get("modified").asText().endsWith("Z"));
    HttpResponse<byte[]> viaUrl = server.get(scheme, URI.create(ilo.get("url").asText()).getPath());
    assertEquals(Samples.sha256(image), Samples.sha256(viaUrl.body()));
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void unknownRoutesAndMethodsAnswerJsonErrors(Scheme scheme) throws Exception {
    HttpResponse<String> missing = server.getString(scheme, "/firmware/nope.bin");
    assertEquals(404, missing.statusCode());
    JsonNode error = Json.MAPPER.readTree(missing.body());
    assertEquals("not_found", error.get("error").asText());
    assertTrue(error.get("detail").asText().contains("nope.bin"));
    assertEquals(404, server.getString(scheme, "/nowhere").statusCode());
    HttpResponse<String> post = server.client().send(HttpRequest.newBuilder(server.uri(scheme, "/firmware/hpe/ilo5_310.bin"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
    assertTrue(header(post, "allow").contains("GET"));
    assertEquals("method_not_allowed", Json.MAPPER.readTree(post.body()).get("error").asText());
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void healthReportsTheBoundPorts(Scheme scheme) throws Exception {
    JsonNode health = Json.MAPPER.readTree(server.getString(scheme, "/health").body());
    assertEquals("up", health.get("status").asText());
    assertEquals(server.server().httpPort(), health.get("ports").get("http").asInt());
    assertEquals(server.server().httpsPort(), health.get("ports").get("https").asInt());
    assertFalse(health.get("version").asText().isEmpty());
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void manyKeepAliveRequestsOnOneConnectionStayCorrect(Scheme scheme) throws Exception {
    ByteArrayOutputStream assembled = new ByteArrayOutputStream();
    int chunk = 256 * 1024;
    for (int at = 0; at < SIZE; at += chunk) {
      int last = Math.min(SIZE, at + chunk) - 1;
      assembled.write(server.get(scheme, "/firmware/hpe/ilo5_310.bin", "Range", "bytes=" + at + "-" + last).body());
    }
    assertArrayEquals(image, assembled.toByteArray());
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void emptyImageIsServed(Scheme scheme) throws Exception {
    HttpResponse<byte[]> r = server.get(scheme, "/firmware/empty.bin");
    assertEquals(200, r.statusCode());
    assertEquals(0, r.body().length);
    assertNotEquals(null, header(r, "etag"));
  }

  static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }
}
