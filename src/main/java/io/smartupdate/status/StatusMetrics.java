package io.smartupdate.status;

/**
 * What the status feature reports about its store; the {@code metrics} package implements it, so
 * this package stays free of any metrics library. Called on the group-commit thread, once per commit.
 */
public interface StatusMetrics {
  /** A transaction stored {@code events} events in {@code nanos} (append and sync). */
  void committed(int events, long nanos);

  /** One event of {@code phase} (a phase's JSON name, a bounded set) was stored. */
  void stored(String phase);

  StatusMetrics NONE = new StatusMetrics() {
    @Override
    public void committed(int events, long nanos) {}

    @Override
    public void stored(String phase) {}
  };
}
