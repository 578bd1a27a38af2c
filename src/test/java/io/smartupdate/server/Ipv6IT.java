package io.smartupdate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** IPv6: listening on ::1 and ::, a certificate that names ::1, and hand-off URLs with bracketed literals. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Ipv6IT {
  @TempDir Path dir;

  private static HttpResponse<String> get(TestServer server, String url, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) request.headers(headers);
    return server.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void bindToIpv6LoopbackServesHttpAndVerifiedHttps() throws Exception {
    try (TestServer server = TestServer.start(dir, c -> c.bindAddress("::1"))) {
      byte[] image = Samples.write(server.repo().resolve("bmc.bin"), 100_000, 4);
      assertEquals(200, get(server, "http://[::1]:" + server.port(Scheme.HTTP) + "/health").statusCode());
      // The JDK client checks the certificate's names: ::1 must be among its IP addresses.
      HttpResponse<String> https = get(server, "https://[::1]:" + server.port(Scheme.HTTPS) + "/health");
      assertEquals(200, https.statusCode());
      HttpResponse<byte[]> download = server.client().send(HttpRequest.newBuilder(
          URI.create("https://[::1]:" + server.port(Scheme.HTTPS) + "/firmware/bmc.bin")).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(image.length, download.body().length);
    }
  }

  @Test
  void theGeneratedCertificateNamesIpv6LoopbackAndTheHostsGlobalIpv6Addresses() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      X509Certificate leaf = server.server().tls().leaf();
      Set<InetAddress> addresses = new HashSet<>();
      for (List<?> name : leaf.getSubjectAlternativeNames()) {
        if ((Integer) name.get(0) == 7) addresses.add(InetAddress.getByName((String) name.get(1)));
      }
      assertTrue(addresses.contains(InetAddress.getByName("::1")), addresses.toString());
      for (var nic : NetworkInterface.networkInterfaces().toList()) {
        if (!nic.isUp()) continue;
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a instanceof Inet6Address v6 && !v6.isLinkLocalAddress()) {
            assertTrue(addresses.contains(InetAddress.getByAddress(v6.getAddress())), v6 + " missing from " + addresses);
          }
        }
      }
    }
  }

  @Test
  void bindToAllInterfacesServesBothFamiliesAndHandoffUrlsBracketIpv6() throws Exception {
    try (TestServer server = TestServer.start(dir, c -> c.bindAddress("::"))) {
      int http = server.port(Scheme.HTTP);
      assertEquals(200, get(server, "http://127.0.0.1:" + http + "/health").statusCode());
      assertEquals(200, get(server, "http://[::1]:" + http + "/health").statusCode());
      HttpResponse<String> opened = server.client().send(HttpRequest.newBuilder(URI.create("http://[::1]:" + http + "/api/handoff"))
          .header("Authorization", "Bearer " + server.token()).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(201, opened.statusCode(), opened.body());
      JsonNode session = Json.MAPPER.readTree(opened.body());
      String url = session.get("url").asText();
      assertTrue(url.startsWith("http://[::1]:" + session.get("port").asInt() + "/"), url);
      assertEquals("0:0:0:0:0:0:0:1", session.get("node").asText());
      assertEquals(200, get(server, url + "health", "X-SU-Session", session.get("token").asText()).statusCode());
      HttpResponse<String> redirect = get(server, "http://[::1]:" + http + "/firmware/x.bin?handoff=1");
      assertEquals(307, redirect.statusCode());
      assertTrue(redirect.headers().firstValue("location").orElseThrow().startsWith("http://[::1]:"), redirect.headers().toString());
    }
  }
}
