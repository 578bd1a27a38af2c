package io.smartupdate.redfish;

/** Receives every step of every BMC, from the BMCs' threads (implementations are thread-safe). */
@FunctionalInterface
public interface DeployListener {
  void event(DeployEvent event);
}
