package io.smartupdate.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smartupdate.core.NodeName;
import io.smartupdate.core.Problem;

/**
 * Fuzzes request-body JSON as the hand-off feature reads it: {@link Json#readTree},
 * {@link Json#readObject} and {@link NodeName#require} on the optional {@code node}, plus the
 * {@code scheme} check. The input is the POSTed body. Invariant: {@link Problem.BadInput}, or a
 * JSON object whose node (when given) is a valid node name and whose scheme is http or https.
 * Seeds: {@code src/test/resources/io/smartupdate/http/JsonFuzzTestInputs/handoffBody}.
 */
class JsonFuzzTest {
  @FuzzTest(maxDuration = "60s")
  @DictionaryEntries({"\"scheme\"", "\"node\"", "\"https\"", "\"http\"", "\"ilo-1\"", "null", "true", "[", "{", "\\u0000",
      "1e400", "-0", "\"\\ud800\""})
  void handoffBody(byte[] body) {
    try {
      JsonNode tree = Json.readTree(body);
      assertNotNull(tree);
      assertFalse(tree.isMissingNode());
    } catch (Problem.BadInput expected) {
      // readObject must refuse it too
    }

    // As HandoffFeature.open reads a non-empty body.
    String scheme = "http";
    String node = "10.0.0.5";
    ObjectNode request;
    try {
      request = Json.readObject(body, "{\"scheme\":\"https\",\"node\":\"ilo-1\"}");
      if (request.hasNonNull("scheme")) scheme = request.get("scheme").asText();
      if (request.hasNonNull("node")) node = NodeName.require("node", request.get("node").asText());
      if (!scheme.equals("http") && !scheme.equals("https")) throw Problem.BadInput.field("scheme", "must be \"http\" or \"https\"");
    } catch (Problem.BadInput expected) {
      return;
    }
    assertTrue(request.isObject());
    assertTrue(NodeName.valid(node), node);
    assertTrue(scheme.equals("http") || scheme.equals("https"), scheme);
  }
}
