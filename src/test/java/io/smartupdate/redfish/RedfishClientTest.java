package io.smartupdate.redfish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** The client's guards on what a BMC hands back: its own origin only, and Retry-After read both ways. */
class RedfishClientTest {
  private final RedfishClient client = new RedfishClient(new Bmc("10.0.0.5:8443", "u", "p", null), HttpClient.newHttpClient(),
      Duration.ofSeconds(1), Duration.ofSeconds(1), (pause, request, status) -> {});

  @Test
  void referencesOnTheBmcsOwnOriginBecomePaths() {
    assertEquals("/redfish/v1/TaskService/Tasks/7", client.local("/redfish/v1/TaskService/Tasks/7"));
    assertEquals("/redfish/v1/TaskService/Tasks/7?x=1", client.local("https://10.0.0.5:8443/redfish/v1/TaskService/Tasks/7?x=1"));
    assertEquals("/redfish/v1/Tasks/7", client.local("redfish/v1/Tasks/7"));
    assertNull(client.local(null));
  }

  @Test
  void referencesToAnotherOriginAreRefusedNamingThem() {
    for (String elsewhere : new String[] {"https://203.0.113.9/redfish/v1/TaskService/Tasks/7", "https://10.0.0.5:443/redfish/v1/Tasks/7",
        "http://10.0.0.5:8443/redfish/v1/Tasks/7", "//203.0.113.9/steal"}) {
      DeployFailure refused = assertThrows(DeployFailure.class, () -> client.local(elsewhere), elsewhere);
      assertEquals("BMC 10.0.0.5:8443 pointed at " + elsewhere + ", outside its own origin https://10.0.0.5:8443: refused, so that its session"
          + " token never leaves it", refused.getMessage());
    }
  }

  @Test
  void retryAfterIsSecondsOrAnHttpDate() {
    assertEquals(Duration.ofSeconds(2), RedfishClient.retryAfter("2"));
    assertNull(RedfishClient.retryAfter("soon"));
    assertNull(RedfishClient.retryAfter(null));
    Duration date = RedfishClient.retryAfter(DateTimeFormatter.RFC_1123_DATE_TIME
        .format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30)));
    assertTrue(date.toSeconds() > 20 && date.toSeconds() <= 30, String.valueOf(date));
  }
}
