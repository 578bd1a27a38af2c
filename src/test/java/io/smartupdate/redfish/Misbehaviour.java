package io.smartupdate.redfish;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a stub BMC does wrong at the HTTP level, before its Redfish service answers: busy answers
 * with Retry-After (as iLO and iDRAC give under load), and the hostile cases a deploy must refuse:
 * a task, monitor or member on another origin, a redirect elsewhere, a body without end.
 */
final class Misbehaviour {
  /** The next N answers to requests starting with "METHOD /path" are {@link #busyStatus} with Retry-After {@link #busyRetryAfter}. */
  final Map<String, AtomicInteger> busy = new ConcurrentHashMap<>();
  int busyStatus = 503;
  String busyRetryAfter = "1";
  final AtomicInteger busyAnswered = new AtomicInteger();
  /** Every request this BMC received. */
  final AtomicInteger requests = new AtomicInteger();
  /** SimpleUpdate answers 202 with its task's Location on this origin ("https://host:port"). */
  String taskElsewhere;
  /** SimpleUpdate answers 202 with a TaskMonitor on this origin in the body. */
  String monitorElsewhere;
  /** The FirmwareInventory lists a member on this origin. */
  String memberElsewhere;
  /** The UpdateService answers 307 to this origin. */
  String redirectElsewhere;
  /** The FirmwareInventory answers a body this long. */
  int hugeInventory;

  void busy(String request, int times) {
    busy.put(request, new AtomicInteger(times));
  }

  /** The misbehaving answer to {@code request}, or null to let the Redfish service answer. */
  ResponseDefinitionBuilder intercept(Request request) {
    String method = request.getMethod().getName();
    String path = request.getUrl().replaceAll("\\?.*", "").replaceAll("/$", "");
    for (Map.Entry<String, AtomicInteger> entry : busy.entrySet()) {
      if ((method + " " + path).startsWith(entry.getKey()) && entry.getValue().getAndDecrement() > 0) {
        busyAnswered.incrementAndGet();
        return aResponse().withStatus(busyStatus).withHeader("Retry-After", busyRetryAfter).withHeader("Content-Type", "application/json")
            .withBody("{\"error\":{\"code\":\"Base.1.8.ServiceTemporarilyUnavailable\",\"message\":\"The service is temporarily unavailable.\"}}");
      }
    }
    boolean simpleUpdate = method.equals("POST") && path.endsWith("UpdateService.SimpleUpdate");
    if (simpleUpdate && taskElsewhere != null) {
      return aResponse().withStatus(202).withHeader("Location", taskElsewhere + "/redfish/v1/TaskService/Tasks/9");
    }
    if (simpleUpdate && monitorElsewhere != null) {
      ObjectNode body = FakeBmc.JSON.createObjectNode().put("TaskMonitor", monitorElsewhere + "/redfish/v1/TaskService/TaskMonitors/9");
      return aResponse().withStatus(202).withHeader("Content-Type", "application/json").withBody(body.toString());
    }
    boolean inventory = method.equals("GET") && path.equals("/redfish/v1/UpdateService/FirmwareInventory");
    if (inventory && memberElsewhere != null) {
      ObjectNode body = FakeBmc.object("#SoftwareInventoryCollection.SoftwareInventoryCollection", path);
      body.putArray("Members").addObject().put("@odata.id", memberElsewhere + "/redfish/v1/UpdateService/FirmwareInventory/1");
      return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.toString());
    }
    if (inventory && hugeInventory > 0) {
      return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
          .withBody("{\"Members\":[],\"Padding\":\"" + "x".repeat(hugeInventory) + "\"}");
    }
    if (method.equals("GET") && path.equals("/redfish/v1/UpdateService") && redirectElsewhere != null) {
      return aResponse().withStatus(307).withHeader("Location", redirectElsewhere + "/redfish/v1/UpdateService");
    }
    return null;
  }
}
