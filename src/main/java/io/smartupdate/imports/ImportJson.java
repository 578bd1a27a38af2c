package io.smartupdate.imports;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;

/** Vendor JSON read with bounds: nesting, string and number lengths limited, nothing after the document. */
final class ImportJson {
  private static final ObjectReader READER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1 << 20).maxNumberLength(64).build())
      .build()).reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ImportJson() {}

  static JsonNode tree(String source, byte[] json) {
    try {
      JsonNode root = READER.readTree(json);
      if (root == null || !root.isObject()) throw new ImportException(source + ": is not a JSON object");
      return root;
    } catch (JsonProcessingException e) {
      throw new ImportException(source + ": is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ImportException(source + ": cannot be read: " + e.getMessage(), e);
    }
  }

  /** The text of {@code field}, or null when absent, null or not a string/number. */
  static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !(v.isTextual() || v.isNumber())) return null;
    String s = v.asText().strip();
    return s.isEmpty() ? null : s;
  }
}
