package io.smartupdate.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * deploy's {@code --input FILE}: a SUM-style input file in YAML naming the targets, the account
 * (the password by file reference only: a {@code password:} key anywhere is refused with its line),
 * the baseline and the options. Relative paths are read from the file's directory.
 *
 * <pre>
 * targets: [10.0.0.5, 10.0.0.6]
 * targetType: ilo5
 * credentials: {user: admin, passwordFile: bmc-password}
 * bmcCa: bmc-ca.pem
 * baseline: gen10
 * options: {reboot: if-needed, dryRun: true, canary: 1, maxFailures: 2, parallel: 8}
 * </pre>
 */
record InputFile(List<String> targets, String targetType, Credentials credentials, Path bmcCa, String baseline, Options options) {
  private static final YAMLMapper YAML = YAMLMapper.builder(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  /** The account: {@code passwordFile} holds the password (first line). */
  record Credentials(String user, Path passwordFile) {}

  /** The run's options, as their command-line namesakes. */
  record Options(boolean downgrade, boolean rewrite, String reboot, @JsonProperty("dryRun") boolean dryRun, Integer canary,
      Integer maxFailures, Integer parallel) {}

  InputFile {
    targets = targets == null ? List.of() : List.copyOf(targets);
    credentials = credentials == null ? new Credentials(null, null) : credentials;
    options = options == null ? new Options(false, false, null, false, null, null, null) : options;
  }

  /** Reads {@code file}; an IllegalArgumentException names the file, the line and what to fix. */
  static InputFile read(Path file) {
    byte[] yaml;
    try {
      yaml = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --input " + file + ": " + e.getMessage());
    }
    Map<String, Integer> keyLines = keyLines(file, yaml);
    InputFile read;
    try {
      read = YAML.readValue(yaml, InputFile.class);
    } catch (UnrecognizedPropertyException e) {
      // the exception's location is past the value (records are read from a buffer): the scan knows the key's own line
      int line = keyLines.getOrDefault(e.getPropertyName(), e.getLocation().getLineNr());
      throw new IllegalArgumentException("--input " + file + " line " + line + ": unknown key '" + e.getPropertyName()
          + "' (known: " + e.getKnownPropertyIds() + ")");
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("--input " + file + " line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --input " + file + ": " + e.getMessage());
    }
    if (read == null) throw new IllegalArgumentException("--input " + file + " is empty: it needs at least targets");
    Path dir = file.toAbsolutePath().getParent();
    Path passwordFile = read.credentials().passwordFile() == null ? null : dir.resolve(read.credentials().passwordFile());
    Path ca = read.bmcCa() == null ? null : dir.resolve(read.bmcCa());
    return new InputFile(read.targets(), read.targetType(), new Credentials(read.credentials().user(), passwordFile), ca, read.baseline(),
        read.options());
  }

  /**
   * The first line of every key, for messages; refuses a {@code password} key at any depth, whatever
   * its case: an input file is shared and kept, and a password in it would be too.
   */
  private static Map<String, Integer> keyLines(Path file, byte[] yaml) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = YAML.getFactory().createParser(yaml)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.FIELD_NAME) lines.putIfAbsent(parser.currentName(), parser.currentTokenLocation().getLineNr());
        if (token == JsonToken.FIELD_NAME && parser.currentName().toLowerCase(Locale.ROOT).matches("pass(word|wd)?")) {
          throw new IllegalArgumentException("--input " + file + " line " + parser.currentTokenLocation().getLineNr() + ": '" + parser.currentName()
              + ":' is refused: a password never goes in an input file; name a file holding it with credentials: {passwordFile: FILE}");
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("--input " + file + " is not valid YAML: " + e.getMessage());
    }
    return lines;
  }
}
