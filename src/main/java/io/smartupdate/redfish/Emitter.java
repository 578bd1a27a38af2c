package io.smartupdate.redfish;

import io.smartupdate.core.Phase;


/** One BMC's events: to the listener (terminal, --json) every one, to the status store every step and each tenth of the bytes. */
final class Emitter {
  private final Bmc bmc;
  private final ServerApi server;
  private volatile String component;
  private final DeployListener listener;
  private volatile Long sent;
  private volatile Long size;
  private int postedTenth = -1;
  private String lastPosted;

  Emitter(Bmc bmc, ServerApi server, String image, DeployListener listener) {
    this.bmc = bmc;
    this.server = server;
    this.listener = listener;
    component(image);
  }

  /** The image the next events are about (a node's plan has several). */
  void component(String image) {
    component = image.substring(image.lastIndexOf('/') + 1);
    sent = null;
    size = null;
    postedTenth = -1;
  }

  void event(Phase phase, Integer progress, String message) {
    listener.event(new DeployEvent(bmc.address(), bmc.node(), phase, progress, sent, size, message));
    // Polls repeat the same state every few seconds: the store gets each change once.
    String key = phase + "|" + progress + "|" + message;
    if (key.equals(lastPosted)) return;
    lastPosted = key;
    server.status(bmc.node(), phase.json(), progress, component, message);
  }

  void bytes(long bytes, long total) {
    sent = bytes;
    size = total;
    int percent = total <= 0 ? 0 : (int) Math.min(100, bytes * 100 / total);
    listener.event(new DeployEvent(bmc.address(), bmc.node(), Phase.DOWNLOADING, percent, bytes, total, null));
    if (percent / 10 != postedTenth) {
      postedTenth = percent / 10;
      server.status(bmc.node(), Phase.DOWNLOADING.json(), percent, component, "fetched " + bytes + " of " + total + " bytes");
    }
  }
}
