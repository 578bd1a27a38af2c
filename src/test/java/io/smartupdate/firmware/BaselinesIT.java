package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.baseline.ManifestReader;
import io.smartupdate.baseline.ServedBaseline;
import io.smartupdate.http.Json;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The catalog, /api/baselines and /health tell which images are which components, and which files are not. */
@Timeout(60)
class BaselinesIT {
  @TempDir Path dir;

  @Test
  void catalogBaselinesAndHealthShowComponentsAndATamperedFile() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo/hpe"));
    byte[] ilo = Samples.write(repo.resolve("ilo5.bin"), 8192, 1);
    byte[] rom = Samples.write(repo.resolve("rom.flash"), 4096, 2);
    Samples.write(repo.resolve("other.bin"), 100, 3);
    String entries = "{\"id\":\"ilo5\",\"class\":\"bmc\",\"file\":\"hpe/ilo5.bin\",\"sha256\":\"" + Samples.sha256(ilo)
        + "\",\"size\":8192,\"version\":\"3.10\",\"versionScheme\":\"hpe-ilo\",\"reboot\":\"bmc\"},"
        + "{\"id\":\"rom\",\"class\":\"bios\",\"file\":\"hpe/rom.flash\",\"sha256\":\"" + "ab".repeat(32)
        + "\",\"size\":4096,\"version\":\"2.90_03-15-2026\",\"versionScheme\":\"hpe-rom\"}";
    Files.writeString(dir.resolve("repo/baseline.json"), "{\"components\":[" + entries + "]}");
    Files.createDirectories(dir.resolve("repo/baselines"));
    Files.writeString(dir.resolve("repo/baselines/gen10.json"), "{\"components\":[" + entries.substring(0, entries.indexOf("},") + 1) + "]}");
    try (TestServer server = TestServer.start(dir)) {
      JsonNode catalog = json(server.getString(Scheme.HTTP, "/api/catalog"));
      assertEquals("[\"default\",\"gen10\"]", catalog.get("baselines").toString());
      assertEquals(3, catalog.get("images").size(), "manifests are not images: " + catalog);
      JsonNode iloImage = image(catalog, "hpe/ilo5.bin");
      assertEquals("ilo5", iloImage.at("/component/id").asText());
      assertEquals("bmc", iloImage.at("/component/class").asText());
      assertEquals("[\"default\",\"gen10\"]", iloImage.get("baselines").toString());
      assertFalse(iloImage.has("mismatch"), iloImage.toString());
      JsonNode romImage = image(catalog, "hpe/rom.flash");
      assertTrue(romImage.get("mismatch").asBoolean(), romImage.toString());
      assertTrue(romImage.get("problem").asText().startsWith("sha-256 of hpe/rom.flash is " + Samples.sha256(rom)), romImage.toString());
      JsonNode plain = image(catalog, "hpe/other.bin");
      assertEquals(Map.of("path", 1, "size", 1, "sha256", 1, "modified", 1, "url", 1).keySet(),
          Json.MAPPER.convertValue(plain, Map.class).keySet(), "an image no entry describes keeps today's fields");

      assertEquals("{\"baselines\":[{\"name\":\"default\",\"file\":\"baseline.json\",\"components\":2},"
          + "{\"name\":\"gen10\",\"file\":\"baselines/gen10.json\",\"components\":1}]}",
          Json.MAPPER.writeValueAsString(json(server.getString(Scheme.HTTPS, "/api/baselines"))).replace(" ", ""));

      HttpResponse<String> served = server.getString(Scheme.HTTP, "/api/baselines/default");
      assertEquals(200, served.statusCode(), served.body());
      ServedBaseline baseline = ManifestReader.readServed("/api/baselines/default", served.body().getBytes(StandardCharsets.UTF_8));
      assertEquals(2, baseline.baseline().components().size());
      assertEquals(Map.of("rom", romImage.get("problem").asText()), baseline.mismatches());

      HttpResponse<String> missing = server.getString(Scheme.HTTP, "/api/baselines/gen12");
      assertEquals(404, missing.statusCode());
      assertEquals("no baseline \"gen12\" in the repository; GET /api/baselines lists them", json(missing).get("detail").asText());

      JsonNode health = json(server.getString(Scheme.HTTP, "/health"));
      assertEquals("up", health.get("status").asText());
      assertEquals(2, health.at("/manifest/baselines").asInt());
      assertEquals(3, health.at("/manifest/components").asInt());
      assertEquals("rom", health.at("/manifest/mismatches/0/id").asText());
      assertEquals(1, health.at("/manifest/mismatches").size());
    }
  }

  @Test
  void complianceAnalysesAgainstTheManifestAndNeverOffersATamperedFile() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo/hpe"));
    byte[] ilo = Samples.write(repo.resolve("ilo5.bin"), 8192, 1);
    Samples.write(repo.resolve("rom.flash"), 4096, 2);
    Files.writeString(dir.resolve("repo/baseline.json"), "{\"components\":[{\"id\":\"ilo5\",\"class\":\"bmc\",\"file\":"
        + "\"hpe/ilo5.bin\",\"sha256\":\"" + Samples.sha256(ilo) + "\",\"size\":8192,\"version\":\"3.10\",\"versionScheme\":"
        + "\"hpe-ilo\",\"match\":{\"nameRegex\":\"^iLO 5$\"}},{\"id\":\"rom\",\"class\":\"bios\",\"file\":\"hpe/rom.flash\","
        + "\"sha256\":\"" + "ab".repeat(32) + "\",\"size\":4096,\"version\":\"2.90_03-15-2026\",\"versionScheme\":\"hpe-rom\","
        + "\"match\":{\"nameRegex\":\"^System ROM$\"}}]}");
    try (TestServer server = TestServer.start(dir)) {
      assertEquals(200, server.getString(Scheme.HTTP, "/api/baselines/default").statusCode(), "both files hashed");
      String inventory = "{\"model\":\"ProLiant DL380 Gen10\",\"readAt\":\"2026-12-07T00:00:00Z\",\"items\":["
          + "{\"id\":\"1\",\"name\":\"iLO 5\",\"version\":\"2.72 Sep 04 2022\",\"updateable\":true},"
          + "{\"id\":\"2\",\"name\":\"System ROM\",\"version\":\"U46 v2.80 (11/02/2025)\",\"updateable\":true}]}";
      HttpResponse<String> put = server.client().send(HttpRequest.newBuilder(server.uri(Scheme.HTTP, "/api/nodes/ilo5-10.0.0.5/inventory"))
          .header("Authorization", "Bearer " + server.token()).header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString(inventory)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, put.statusCode(), put.body());
      JsonNode rows = json(server.getString(Scheme.HTTP, "/api/compliance?baseline=default")).get("rows");
      assertEquals(1, rows.size(), "the tampered ROM image is not offered: " + rows);
      assertEquals("ilo5", rows.get(0).get("componentId").asText(), rows.toString());
      assertEquals("update", rows.get(0).get("action").asText(), rows.toString());
    }
  }

  @Test
  void aRepositoryWithoutAManifestAnswersAsBefore() throws Exception {
    Samples.write(Files.createDirectories(dir.resolve("repo")).resolve("a.bin"), 100, 1);
    try (TestServer server = TestServer.start(dir)) {
      JsonNode catalog = json(server.getString(Scheme.HTTP, "/api/catalog"));
      assertEquals(1, catalog.size(), "only images: " + catalog);
      assertFalse(json(server.getString(Scheme.HTTP, "/health")).has("manifest"));
      assertEquals("{\"baselines\":[]}", server.getString(Scheme.HTTP, "/api/baselines").body());
    }
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body());
  }

  private static JsonNode image(JsonNode catalog, String path) {
    for (JsonNode image : catalog.get("images")) if (image.get("path").asText().equals(path)) return image;
    throw new AssertionError(path + " is not in the catalog: " + catalog);
  }
}
