package io.smartupdate.deploys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** /api/deploys over a real server: the shapes the report command reads, and each bad request as a Problem. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeploysApiIT {
  private static final String PLAN = "{\"image\":\"hpe/ilo5_310.bin\",\"sha256\":\"" + "ab".repeat(32) + "\",\"options\":{\"parallel\":4},"
      + "\"steps\":[{\"node\":\"ilo5-10.0.0.5\",\"step\":0,\"bmc\":\"10.0.0.5\",\"file\":\"hpe/ilo5_310.bin\",\"expected\":\"3.10\"},"
      + "{\"node\":\"ilo5-10.0.0.6\",\"step\":0,\"bmc\":\"10.0.0.6\",\"file\":\"hpe/ilo5_310.bin\"}]}";

  @TempDir Path dir;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(dir);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aRunIsCreatedMovedAndReadInTheDocumentedShape() throws Exception {
    HttpResponse<String> created = server.post(Scheme.HTTP, "/api/deploys", PLAN);
    assertEquals(201, created.statusCode(), created.body());
    String id = Json.MAPPER.readTree(created.body()).path("id").asText();
    String step = "/api/deploys/" + id + "/nodes/ilo5-10.0.0.5/steps/0";
    assertEquals(200, server.put(Scheme.HTTP, step, "{\"state\":\"sent\",\"before\":\"3.00\",\"taskUri\":\"/redfish/v1/TaskService/Tasks/1\"}").statusCode());
    HttpResponse<String> done = server.put(Scheme.HTTP, step, "{\"state\":\"done\",\"after\":\"3.10\",\"result\":\"updated\",\"reason\":\"updated\"}");
    assertEquals(200, done.statusCode(), done.body());
    assertEquals(200, server.put(Scheme.HTTP, "/api/deploys/" + id, "{\"state\":\"interrupted\"}").statusCode());

    JsonNode list = Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/api/deploys").body()).path("runs");
    assertEquals(1, list.size(), list.toString());
    JsonNode line = list.get(0);
    assertEquals(List.of("id", "startedAt", "finishedAt", "state", "baseline", "image", "nodes", "counts", "owner", "leaseUntil"), names(line));
    assertEquals("interrupted", line.path("state").asText());
    assertEquals(2, line.path("nodes").asInt());
    assertEquals("{\"done\":1,\"pending\":1}", line.path("counts").toString());

    JsonNode run = Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/api/deploys/" + id).body());
    JsonNode first = run.path("steps").get(0);
    assertTrue(names(first).containsAll(List.of("node", "step", "componentId", "component", "file", "before", "after", "expected", "state",
        "result", "reason", "startedAt", "finishedAt", "durationMs")), first.toString());
    assertEquals("done", first.path("state").asText());
    assertEquals("3.00", first.path("before").asText());
    assertEquals("3.10", first.path("after").asText());
    assertTrue(first.path("durationMs").isNumber(), first.toString());
    assertEquals("pending", run.path("steps").get(1).path("state").asText());
  }

  @Test
  void badRequestsAreProblemsNamingTheFix() throws Exception {
    String id = Json.MAPPER.readTree(server.post(Scheme.HTTP, "/api/deploys", PLAN).body()).path("id").asText();
    String step = "/api/deploys/" + id + "/nodes/ilo5-10.0.0.5/steps/0";
    assertProblem(server.getString(Scheme.HTTP, "/api/deploys/nope"), 404, "not_found", "no deploy run nope");
    assertProblem(server.put(Scheme.HTTP, "/api/deploys/nope/nodes/x/steps/0", "{\"state\":\"sent\"}"), 404, "not_found", "no deploy run nope");
    assertProblem(server.put(Scheme.HTTP, step, "{\"state\":\"melting\"}"), 400, "invalid_state", "state 'melting' is not a step state");
    assertProblem(server.put(Scheme.HTTP, "/api/deploys/" + id, "{\"state\":\"exploded\"}"), 400, "invalid_state", "state 'exploded' is not a run state");
    assertProblem(server.put(Scheme.HTTP, "/api/deploys/" + id + "/nodes/ilo5-10.0.0.5/steps/x", "{\"state\":\"sent\"}"), 400, "invalid_step",
        "step 'x' is not a step number");
    assertProblem(server.post(Scheme.HTTP, "/api/deploys", "{\"image\":\"a.bin\",\"steps\":[]}"), 400, "invalid_steps", "steps is required");
    server.put(Scheme.HTTP, step, "{\"state\":\"done\"}");
    assertProblem(server.put(Scheme.HTTP, step, "{\"state\":\"sent\"}"), 400, "invalid_state", "is already done; a finished step does not move");
    HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri(Scheme.HTTP, "/api/deploys"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(PLAN)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode(), "writes need the token: " + anonymous.body());
  }

  @Test
  void anOwnedRunIsRenewedByItsOwnerAndRefusedToOthersWith409NamingTheOwner() throws Exception {
    String owned = PLAN.replace("\"options\":", "\"owner\":\"mgmt-a:41:aa\",\"leaseSeconds\":600,\"options\":");
    JsonNode created = Json.MAPPER.readTree(server.post(Scheme.HTTP, "/api/deploys", owned).body());
    String id = created.path("id").asText();
    assertEquals("mgmt-a:41:aa", created.path("owner").asText(), created.toString());
    assertTrue(created.path("leaseUntil").isTextual(), created.toString());
    assertEquals("running", created.path("state").asText());
    String base = "/api/deploys/" + id;
    assertProblem(server.post(Scheme.HTTP, base + "/takeover", "{\"owner\":\"mgmt-b:7:bb\"}"), 409, "run_owned",
        "run " + id + " is driven by mgmt-a:41:aa until ");
    HttpResponse<String> renewed = server.put(Scheme.HTTP, base + "/lease", "{\"owner\":\"mgmt-a:41:aa\",\"leaseSeconds\":600}");
    assertEquals(200, renewed.statusCode(), renewed.body());
    assertEquals("mgmt-a:41:aa", Json.MAPPER.readTree(renewed.body()).path("owner").asText());
    assertProblem(server.put(Scheme.HTTP, base + "/lease", "{\"owner\":\"mgmt-b:7:bb\"}"), 409, "run_lost", "was taken over by mgmt-a:41:aa");
    assertProblem(server.put(Scheme.HTTP, base + "/nodes/ilo5-10.0.0.5/steps/0", "{\"state\":\"sent\",\"owner\":\"mgmt-b:7:bb\"}"), 409,
        "run_lost", "this process lost the run");
    assertProblem(server.post(Scheme.HTTP, base + "/takeover", "{\"owner\":\"mgmt-b:7:bb\",\"leaseSeconds\":0}"), 400, "invalid_leaseSeconds",
        "leaseSeconds must be 1 to 3600");
    HttpResponse<String> taken = server.post(Scheme.HTTP, base + "/takeover", "{\"owner\":\"mgmt-b:7:bb\",\"replaces\":\"mgmt-a:41:aa\"}");
    assertEquals(200, taken.statusCode(), "a dead owner's successor takes it over: " + taken.body());
    assertEquals("mgmt-b:7:bb", Json.MAPPER.readTree(taken.body()).path("owner").asText());
    assertProblem(server.put(Scheme.HTTP, base, "{\"state\":\"orphaned\"}"), 400, "invalid_state", "'orphaned' is not a run state");
  }

  private static void assertProblem(HttpResponse<String> response, int status, String error, String detail) throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    JsonNode body = Json.MAPPER.readTree(response.body());
    assertEquals(error, body.path("error").asText(), response.body());
    assertTrue(body.path("detail").asText().contains(detail), response.body());
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
