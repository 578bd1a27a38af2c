package io.smartupdate.handoff;

import io.smartupdate.auth.WriteAuth;
import io.smartupdate.core.Lifecycle;
import io.smartupdate.core.Problem;
import io.smartupdate.core.Threads;
import io.smartupdate.http.HttpFeature;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.StreamConnection;

/**
 * Dedicated hand-off ports (SUM moves traffic to a high port; PUT hands each client to the next
 * free one). Unlike PUT, abandoned or cancelled sessions give their port back after the idle
 * timeout, so the range cannot be exhausted by clients that come and go.
 */
public final class HandoffManager implements Lifecycle {
  private static final Logger log = LoggerFactory.getLogger(HandoffManager.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Binds exactly one port for a session (sharing the server's worker and TLS context). */
  @FunctionalInterface
  public interface Binder {
    AutoCloseable bind(int port, boolean tls) throws IOException;
  }

  private final HandoffConfig config;
  private final Clock clock;
  private final Map<String, HandoffSession> byId = new ConcurrentHashMap<>();
  private final Map<Integer, HandoffSession> byPort = new ConcurrentHashMap<>();
  private final List<HandoffSession> draining = new CopyOnWriteArrayList<>();
  /** Transparent sessions by client and scheme: one each, so anonymous ?handoff=1 requests cannot fill the range. */
  private final Map<String, HandoffSession> transparent = new ConcurrentHashMap<>();
  private final Binder binder;
  private final ScheduledExecutorService reaper;
  private volatile boolean closed;

  /**
   * @param binder binds a session's port; the server's listeners must be able to serve it at once
   * @param clock times sessions (idle, maximum life); a monotonic one in production
   */
  public HandoffManager(HandoffConfig config, Binder binder, Clock clock) {
    this.config = Objects.requireNonNull(config, "config == null");
    this.binder = Objects.requireNonNull(binder, "binder == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.reaper = Executors.newSingleThreadScheduledExecutor(Threads.daemon("handoff-reaper"));
    long period = Math.max(50, Math.min(1000, config.idle().toMillis() / 4));
    reaper.scheduleWithFixedDelay(this::reap, period, period, TimeUnit.MILLISECONDS);
  }

  /** The gate every request passes: session ports need their token; ?handoff=1 redirects. */
  public HttpHandler gate(HttpHandler next) {
    return new SessionGate(this, next, clock);
  }

  /** The hand-off routes, with writes authenticated by {@code auth}. */
  public HttpFeature feature(WriteAuth auth) {
    return new HandoffFeature(this, auth);
  }

  public HandoffConfig config() {
    return config;
  }

  /** Sessions open now (the metrics' gauge). */
  public int openSessions() {
    return byId.size();
  }

  /** Ports of the range that no session of ours holds (another process may still hold some). */
  public int freePorts() {
    return config.size() - byPort.size();
  }

  /** Opens a session on a free port of the range, or throws {@link Problem.Busy} when the range is full. */
  synchronized HandoffSession open(String node, String scheme) {
    return open(node, scheme, null);
  }

  /**
   * Opens a session whose idle timeout is {@code idle} (null: the configured one), at most the
   * maximum life: deploy asks for one longer than the time a BMC may take to start fetching.
   */
  synchronized HandoffSession open(String node, String scheme, Duration idle) {
    Duration sessionIdle = idle == null ? config.idle() : idle.compareTo(config.maxLife()) > 0 ? config.maxLife() : idle;
    if (closed) throw new Problem.Unavailable("stopping", "the server is stopping", Duration.ofSeconds(5));
    int size = config.size();
    int offset = config.random() ? RANDOM.nextInt(size) : 0;
    for (int i = 0; i < size; i++) {
      int port = config.firstPort() + (offset + i) % size;
      if (byPort.containsKey(port)) continue;
      AutoCloseable listener;
      try {
        listener = binder.bind(port, scheme.equals("https"));
      } catch (BindException e) {
        continue; // held by another process: skipped, as SUM does
      } catch (IOException e) {
        log.debug("hand-off port {} unusable: {}", port, e.toString());
        continue;
      }
      Instant now = clock.instant();
      HandoffSession session = new HandoffSession(randomHex(8), node, port, scheme, randomToken(), now,
          now.plus(config.maxLife()), sessionIdle, listener);
      byId.put(session.id, session);
      byPort.put(port, session);
      log.debug("hand-off session {} for {} on {} port {}", session.id, node, scheme, port);
      return session;
    }
    long retry = Math.max(1, Math.min(config.idle().toSeconds(), 30));
    throw new Problem.Busy("handoff_ports_exhausted", "all hand-off ports " + config.range()
        + " are in use; retry in " + retry + " s or widen /handoff_ports", Duration.ofSeconds(retry));
  }

  /**
   * The session of a transparent hand-off ({@code ?handoff=1}, which needs no credentials): a
   * client's live session for that scheme if it has one, else a new one. A client therefore
   * holds at most one port per scheme this way, however often it asks.
   */
  synchronized HandoffSession openTransparent(String client, String scheme) {
    String key = client + " " + scheme;
    HandoffSession existing = transparent.get(key);
    if (existing != null && !existing.closed()) return existing;
    HandoffSession session = open(client, scheme);
    transparent.put(key, session);
    return session;
  }

  /** Ends a session now; false if there was none with that id. */
  boolean close(String id) {
    HandoffSession session = byId.get(id);
    if (session == null) return false;
    end(session, "closed by request");
    return true;
  }

  List<HandoffSession.View> list() {
    List<HandoffSession.View> views = new ArrayList<>();
    byId.values().forEach(s -> views.add(s.view()));
    views.sort(Comparator.comparingInt(HandoffSession.View::port));
    return views;
  }

  /** The session that owns the local port of a connection or request, if any. */
  HandoffSession sessionAt(SocketAddress local) {
    return local instanceof InetSocketAddress address ? byPort.get(address.getPort()) : null;
  }

  /** Records a connection accepted on a session's port, so ending the session can close it. */
  public void accepted(StreamConnection connection) {
    HandoffSession session = sessionAt(connection.getLocalAddress());
    if (session != null) session.accepted(connection);
  }

  private void end(HandoffSession session, String why) {
    if (!session.close()) return;
    byId.remove(session.id, session);
    byPort.remove(session.port, session);
    transparent.values().remove(session);
    if (!session.drain()) draining.add(session);
    log.debug("hand-off session {} on port {} ended: {}", session.id, session.port, why);
  }

  /** One pass of the reaper: ends idle and expired sessions, closes drained connections. Runs by itself; tests call it after moving the clock. */
  void reap() {
    try {
      Instant now = clock.instant();
      for (HandoffSession session : byId.values()) {
        if (session.idle(now)) {
          end(session, "idle for " + session.idle.toSeconds() + " s");
        } else if (session.expired(now)) {
          end(session, "maximum life reached");
        }
      }
      draining.removeIf(HandoffSession::drain);
    } catch (RuntimeException e) {
      log.warn("hand-off reaper: {}", e.toString());
    }
  }

  /** Closes every dedicated listener; in-flight responses are left to the graceful drain. */
  @Override
  public synchronized void stopAccepting() {
    closed = true;
    byId.values().forEach(s -> end(s, "server stopping"));
  }

  @Override
  public void close() {
    stopAccepting();
    reaper.shutdownNow();
    draining.forEach(HandoffSession::drain);
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static String randomToken() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
