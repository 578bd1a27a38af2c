package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smartupdate.core.Phase;
import io.smartupdate.http.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusEventJsonTest {
  private static void sameAsJackson(StatusEvent event) {
    assertEquals(new String(Json.bytes(event), StandardCharsets.UTF_8), new String(event.json(), StandardCharsets.UTF_8));
  }

  @Test
  void theHandWrittenJsonIsWhatJacksonWritesForEveryShapeOfEvent() {
    Instant received = Instant.parse("2026-12-07T05:00:00.123456789Z");
    sameAsJackson(new StatusEvent(42, "ilo-10.0.0.5", Phase.DOWNLOADING, 50, "ilo5_281.bin", "fetching",
        Instant.parse("2026-11-21T10:00:00Z"), received, "10.0.0.9"));
    sameAsJackson(new StatusEvent(0, "a", Phase.INFO, null, null, null, null, Instant.parse("2026-12-07T05:00:00Z"), null));
    sameAsJackson(new StatusEvent(Long.MAX_VALUE, "n:1", Phase.FAILED, 0, "", "quote \" backslash \\ tab \t nl \n ctl \u0001 "
        + "é 😀 </script> \u2028", Instant.parse("2026-11-21T10:00:00.5Z"), Instant.parse("2026-12-07T05:00:00.120Z"), "fe80::1"));
    sameAsJackson(new StatusEvent(7, "b", Phase.COMPLETE, 100, "c", "m", null, Instant.EPOCH, "unknown"));
  }
}
