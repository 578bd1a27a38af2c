package io.smartupdate.redfish;

/** Receives every step of every BMC, from the BMCs' threads (implementations are thread-safe). */
@FunctionalInterface
public interface DeployListener {
  void event(DeployEvent event);

  /** The server recorded the run under {@code id} (before any BMC is touched): what {@code deploy --resume} takes. */
  default void recorded(String id) {}
}
