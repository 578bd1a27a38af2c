package io.smartupdate.handoff;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;

/** One client's dedicated port: its listener, its connections and what it has used. */
final class HandoffSession {
  /** What {@code GET /api/handoff} shows of a session (never the token). */
  record View(String id, String node, int port, String scheme, Instant created, Instant lastActivity, Instant expiresAt,
      long idleSeconds, long bytesServed, int requestsInFlight) {}

  final String id;
  final String node;
  final int port;
  final String scheme;
  final String token;
  final Instant created;
  final Instant expiresAt;
  /** How long the session may sit unused before its port is taken back. */
  final Duration idle;
  private final AutoCloseable listener;
  private final Set<StreamConnection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile Instant lastActivity;
  private final LongAdder bytesServed = new LongAdder();
  private final AtomicBoolean closed = new AtomicBoolean();

  HandoffSession(String id, String node, int port, String scheme, String token, Instant created, Instant expiresAt,
      Duration idle, AutoCloseable listener) {
    this.id = id;
    this.node = node;
    this.port = port;
    this.scheme = scheme;
    this.token = token;
    this.created = created;
    this.expiresAt = expiresAt;
    this.idle = idle;
    this.lastActivity = created;
    this.listener = listener;
  }

  void accepted(StreamConnection connection) {
    connections.add(connection);
    if (closed.get()) IoUtils.safeClose(connection);
  }

  void begin(Instant now) {
    inFlight.incrementAndGet();
    lastActivity = now;
  }

  void end(long bytes, Instant now) {
    bytesServed.add(bytes);
    inFlight.decrementAndGet();
    lastActivity = now;
  }

  /** Idle: nothing in flight and no request for longer than its idle timeout. */
  boolean idle(Instant now) {
    return inFlight.get() == 0 && now.isAfter(lastActivity.plus(idle));
  }

  boolean expired(Instant now) {
    return now.isAfter(expiresAt);
  }

  boolean closed() {
    return closed.get();
  }

  /** Closes the listener (the port is free at once); returns false if it was already closed. */
  boolean close() {
    if (!closed.compareAndSet(false, true)) return false;
    try {
      listener.close();
    } catch (Exception e) {
      // the port is released by the OS either way
    }
    return true;
  }

  /** After close: drops connections once no response is in flight; true when nothing is left. */
  boolean drain() {
    connections.removeIf(c -> !c.isOpen());
    if (inFlight.get() > 0) return false;
    connections.forEach(IoUtils::safeClose);
    connections.clear();
    return true;
  }

  View view() {
    return new View(id, node, port, scheme, created, lastActivity, expiresAt, idle.toSeconds(), bytesServed.sum(), inFlight.get());
  }
}
