package io.smartupdate.core;

import java.time.Instant;

/**
 * The one contract of the server's parts. A part is running once it is constructed; at stop the
 * server asks every part, newest first, to {@link #stopAccepting}, then lets each one
 * {@link #awaitDrained drain} until a shared deadline, then {@link #close}s them all. Failures are
 * collected by the server, so one part that fails to stop never keeps the others running.
 */
public interface Lifecycle extends AutoCloseable {
  /** Takes no new work (closes listeners, ends endless streams); fast, never waits. */
  default void stopAccepting() {}

  /** Waits until work already accepted has finished, or until {@code deadline}; returns false if it had to give up. */
  default boolean awaitDrained(Instant deadline) throws InterruptedException {
    return true;
  }

  /** Releases everything; what was accepted is finished or refused by now. */
  @Override
  void close() throws Exception;
}
