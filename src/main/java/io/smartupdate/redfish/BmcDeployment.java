package io.smartupdate.redfish;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One BMC, start to end: login, discover, inventory, SimpleUpdate (or push), follow the task through
 * resets, prove the fetch, inventory again, and the truth about the outcome. Runs on one thread;
 * {@link #abort} may come from the shutdown hook.
 */
final class BmcDeployment {
  private static final Logger log = LoggerFactory.getLogger(BmcDeployment.class);
  private static final Duration FIRST_POLL = Duration.ofMillis(250);
  private static final Duration MAX_POLL = Duration.ofSeconds(5);
  /** How much longer than --fetch-timeout the BMC's hand-off session stays open unused: the fetch is judged first. */
  private static final Duration SESSION_SLACK = Duration.ofSeconds(60);

  private final Bmc bmc;
  private final ServerApi server;
  private final DeployOptions options;
  private final Emitter emit;
  private final RedfishClient client;
  private volatile ServerApi.Ticket ticket;
  private volatile String subscription;
  private String before = "-";
  private String after = "-";

  BmcDeployment(Bmc bmc, ServerApi server, HttpClient http, DeployOptions options, DeployListener listener) {
    this.bmc = bmc;
    this.server = server;
    this.options = options;
    this.client = new RedfishClient(bmc, http, options.requestTimeout());
    this.emit = new Emitter(bmc, server, options.image(), listener);
  }

  BmcResult run() {
    try {
      return deploy();
    } catch (DeployFailure e) {
      return failed(e.getMessage());
    } catch (RedfishClient.Gone e) {
      return failed(e.getMessage());
    } catch (RuntimeException e) {
      log.warn("BMC {}: unexpected failure", bmc.address(), e);
      return failed("BMC " + bmc.address() + ": " + e);
    } finally {
      abort();
    }
  }

  private BmcResult failed(String reason) {
    emit.event("failed", null, reason);
    return new BmcResult(bmc.address(), bmc.node(), before, after, BmcResult.Outcome.FAILED, reason);
  }

  /** Ends what this deployment holds on the BMC and the server: subscription, hand-off session, Redfish session. */
  void abort() {
    String sub = subscription;
    subscription = null;
    if (sub != null) {
      try {
        client.delete(sub);
      } catch (RuntimeException e) {
        log.debug("BMC {}: deleting subscription {} failed: {}", bmc.address(), sub, e.getMessage());
      }
    }
    ServerApi.Ticket held = ticket;
    ticket = null;
    if (held != null) server.close(held);
    client.logout();
  }

  private BmcResult deploy() {
    emit.event("info", null, "logging in to " + bmc.address() + " as " + bmc.user());
    client.login();
    Discovery discovery = Discovery.read(client);
    ServerApi.Image image = server.image(options.image());
    Inventory first = Inventory.read(client, discovery.inventory());
    before = first.version(image.path());
    emit.event("inventory", null, "before: " + before);
    boolean push = discovery.pushOnly();
    if (discovery.simpleUpdate() == null && !push) {
      throw new DeployFailure("BMC " + bmc.address() + " offers neither SimpleUpdate nor a push URI in its UpdateService: it cannot be updated over Redfish");
    }
    String protocol = null;
    if (!push) {
      try {
        protocol = discovery.protocol(bmc.address(), options.protocol(), ftpOn());
      } catch (DeployFailure noneInCommon) {
        // OpenBMC: SimpleUpdate over TFTP only, but a push URI; the push needs no protocol in common.
        if (discovery.multipartPushUri() == null && discovery.httpPushUri() == null) throw noneInCommon;
        push = true;
      }
    }
    if (push) protocol = server.api().getScheme().toUpperCase(java.util.Locale.ROOT);
    List<String> targets = options.targets();
    if (options.dryRun()) {
      String how = push ? "push " + image.path() + " to " + (discovery.multipartPushUri() != null ? discovery.multipartPushUri() : discovery.httpPushUri())
          : "POST " + discovery.simpleUpdate() + " ImageURI=" + server.publicHost(bmc) + " (one-time " + protocol.toLowerCase(java.util.Locale.ROOT)
          + " URL for " + image.path() + ") TransferProtocol=" + protocol;
      String message = "would " + how + (targets.isEmpty() ? "" : " Targets=" + targets);
      emit.event("info", null, message);
      after = before;
      return new BmcResult(bmc.address(), bmc.node(), before, after, BmcResult.Outcome.DRY_RUN, message);
    }
    ticket = server.open(bmc, protocol, image, options.fetchTimeout().plus(SESSION_SLACK));
    UpdateStart start = new UpdateStart(client, server, emit);
    if (options.subscribe()) subscription = start.subscribe(discovery);
    RedfishClient.Response accepted = push ? new PushUpload(client, server, options).push(discovery, ticket, image, targets)
        : start.simpleUpdate(discovery, first, protocol, ticket.url(), image, targets);
    emit.event("downloading", 0, push ? "pushed the image to the BMC" : "BMC accepted SimpleUpdate (" + accepted.status() + ")");
    TaskFollower.State end = follow(new TaskFollower(client, discovery, accepted), protocol, image, accepted);
    Inventory last;
    try {
      last = Inventory.read(client, discovery.inventory());
    } catch (RedfishClient.Gone gone) {
      // iLO reports Complete, then resets to activate: the inventory is read once it is back.
      waitForReset(gone.getMessage());
      last = Inventory.read(client, discovery.inventory());
    }
    String[] versions = Inventory.versions(first, last, image.path());
    before = versions[0];
    after = versions[1];
    boolean changed = last.differsFrom(first);
    if (end.end() == TaskFollower.End.SUCCESS || changed) {
      String reason = changed ? "updated" : "the BMC reported success; the inventory still shows " + after + " (activation may need a reset)";
      if (protocol.equals("FTP")) reason += " (over FTP: the server keeps no record of FTP downloads, so the fetch is not proved)";
      emit.event("complete", 100, reason + " (before " + before + ", after " + after + ")");
      return new BmcResult(bmc.address(), bmc.node(), before, after, BmcResult.Outcome.UPDATED, reason);
    }
    String reason = "BMC " + bmc.address() + " accepted the update but did not apply it: " + (end.message() == null ? "no task" : end.message())
        + ", and its inventory is unchanged (" + after + ")";
    emit.event("failed", null, reason);
    return new BmcResult(bmc.address(), bmc.node(), before, after, BmcResult.Outcome.NOT_UPDATED, reason);
  }

  private boolean ftpOn() {
    try {
      return server.health().ftp() > 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** Polls the task and the record of downloads with back-off until the update ends; waits out resets. */
  private TaskFollower.State follow(TaskFollower follower, String protocol, ServerApi.Image image, RedfishClient.Response accepted) {
    long acceptedAt = System.nanoTime();
    long deadline = acceptedAt + options.timeout().toNanos();
    boolean proof = !protocol.equals("FTP");
    Duration pause = FIRST_POLL;
    long lastSent = -1;
    ServerApi.Fetch seen = null;
    while (true) {
      ServerApi.Fetch fetch = proof ? server.fetch(ticket, image).merge(seen) : null;
      seen = fetch;
      if (fetch != null && fetch.sent() != lastSent && fetch.requests() > 0) {
        lastSent = fetch.sent();
        emit.bytes(fetch.sent(), image.size());
      }
      if (fetch != null && fetch.requests() == 0 && System.nanoTime() - acceptedAt > options.fetchTimeout().toNanos()) {
        throw new DeployFailure(neverFetched());
      }
      TaskFollower.State state;
      try {
        state = follower.tracked() ? follower.poll() : untracked(fetch);
      } catch (RedfishClient.Gone gone) {
        waitForReset(gone.getMessage());
        continue;
      }
      if (state.end() == null) {
        if (follower.tracked()) emit.event(state.phase(), state.percent(), state.message());
      } else {
        if (fetch != null && !fetch.complete()) {
          ServerApi.Fetch last = settled(image).merge(seen);
          if (last.requests() == 0) throw new DeployFailure(neverFetched());
          if (!last.complete()) {
            throw new DeployFailure("BMC " + bmc.address() + " fetched only " + last.sent() + " of " + image.size() + " bytes of " + shown()
                + (state.message() == null ? "" : "; it says: " + state.message()));
          }
        }
        if (state.end() == TaskFollower.End.FAILED) {
          throw new DeployFailure("BMC " + bmc.address() + " ended the update in failure: " + (state.message() == null ? "no message" : state.message()));
        }
        return state;
      }
      if (System.nanoTime() > deadline) {
        throw new DeployFailure("BMC " + bmc.address() + " did not finish the update within " + options.timeout().toSeconds() + " s (--timeout)");
      }
      // Back-off for the BMC's sake, but a fetch in flight is watched every second so its bytes move on screen.
      Duration cap = fetch != null && fetch.inFlight() ? Duration.ofSeconds(1) : MAX_POLL;
      pause = pause.compareTo(cap) > 0 ? cap : pause;
      sleep(pause);
      pause = pause.multipliedBy(3).dividedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : pause.multipliedBy(3).dividedBy(2);
    }
  }

  /** The record of downloads once nothing is in flight: a BMC that cut its fetch may end its task before the server sees the cut. */
  private ServerApi.Fetch settled(ServerApi.Image image) {
    ServerApi.Fetch fetch = server.fetch(ticket, image);
    for (int i = 0; i < 50 && fetch.inFlight(); i++) {
      sleep(Duration.ofMillis(100));
      fetch = server.fetch(ticket, image);
    }
    return fetch;
  }

  /** No task, no monitor, no iLO state (a 204): the only evidence is the fetch, then the inventory. */
  private TaskFollower.State untracked(ServerApi.Fetch fetch) {
    if (fetch == null) return new TaskFollower.State("complete", null, TaskFollower.End.UNKNOWN, "no task");
    if (fetch.complete() && !fetch.inFlight()) return new TaskFollower.State("verifying", null, TaskFollower.End.UNKNOWN, "no task");
    if (fetch.requests() > 0 && !fetch.inFlight()) return new TaskFollower.State("failed", null, TaskFollower.End.UNKNOWN, "no task");
    return new TaskFollower.State("downloading", null, null, null);
  }

  /** The BMC went away (a reset after the flash): wait for it up to --timeout, then log in again. */
  private void waitForReset(String why) {
    emit.event("rebooting", null, why + "; waiting up to " + options.timeout().toSeconds() + " s for it to come back");
    client.forget();
    long deadline = System.nanoTime() + options.timeout().toNanos();
    while (System.nanoTime() < deadline) {
      sleep(Duration.ofMillis(500));
      try {
        client.login();
        emit.event("info", null, "BMC is back; logged in again");
        return;
      } catch (RedfishClient.Gone stillGone) {
        // still resetting
      } catch (DeployFailure slow) {
        // A booting BMC may take connections before it answers them; anything else (a refused login) ends the wait.
        if (!slow.getMessage().contains("did not answer")) throw slow;
      }
    }
    throw new DeployFailure("BMC " + bmc.address() + " went away and did not come back within " + options.timeout().toSeconds() + " s (--timeout)");
  }

  private String neverFetched() {
    java.net.URI url = java.net.URI.create(shown());
    String hostPort = url.getHost() + ":" + url.getPort();
    return "BMC " + bmc.host() + " accepted the update but never fetched " + shown() + ": check that " + bmc.host() + " can reach " + hostPort
        + " (firewall, route, proxy)";
  }

  /** The ticket's URL without its session token, for messages and logs. */
  private String shown() {
    String url = ticket.url();
    int query = url.indexOf("?session=");
    return query < 0 ? url : url.substring(0, query);
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployFailure("interrupted");
    }
  }
}
