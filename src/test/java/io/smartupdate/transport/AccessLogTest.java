package io.smartupdate.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.undertow.util.DateUtils;
import java.util.Date;
import org.junit.jupiter.api.Test;

class AccessLogTest {
  @Test
  void cachedTimeIsTheTextUndertowsPercentTWrites() {
    AccessLog.LogTime time = new AccessLog.LogTime();
    for (int attempt = 0; attempt < 5; attempt++) { // a second may tick between the two reads: try again
      String ours = time.format(System.currentTimeMillis());
      String undertows = DateUtils.toCommonLogFormat(new Date());
      if (ours.equals(undertows)) return;
    }
    assertEquals(DateUtils.toCommonLogFormat(new Date()), time.format(System.currentTimeMillis()));
  }
}
