package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smartupdate.baseline.Baseline;
import io.smartupdate.baseline.Component;
import io.smartupdate.baseline.ManifestReader;
import io.smartupdate.testing.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The committed firmware-samples/baseline.json describes each sample image with its true size and sha-256. */
class SamplesManifestTest {
  private static final Path SAMPLES = Path.of("firmware-samples");

  @Test
  void theSamplesManifestCoversEveryImageWithItsSizeAndDigest() throws Exception {
    Baseline b = ManifestReader.read("firmware-samples/baseline.json", Baseline.DEFAULT,
        Files.readAllBytes(SAMPLES.resolve("baseline.json")));
    List<String> images;
    try (Stream<Path> files = Files.walk(SAMPLES)) {
      images = files.filter(Files::isRegularFile).map(p -> SAMPLES.relativize(p).toString())
          .filter(p -> !RepositoryManifest.isManifest(p)).sorted().toList();
    }
    assertEquals(images, b.components().stream().map(Component::file).sorted().toList());
    for (Component c : b.components()) {
      byte[] bytes = Files.readAllBytes(SAMPLES.resolve(c.file()));
      assertEquals(bytes.length, c.size(), c.id() + " size");
      assertEquals(Samples.sha256(bytes), c.sha256(), c.id() + " sha256 (regenerate with bin/make-firmware-samples?)");
    }
  }
}
