package io.smartupdate.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * The proof that one BMC fetched its image, from the server's own record of downloads: requests
 * on the BMC's ticket, the most bytes sent, whether the whole image went out. Kept across reads,
 * because the record holds only the latest downloads and an earlier look may know more.
 */
final class FetchProof {
  /** What the record says of a ticket: requests seen, most bytes sent, whether one completed, the size, whether one is in flight. */
  record Fetch(int requests, long sent, long size, boolean complete, boolean inFlight) {
    /** What was ever seen, this look and an earlier one together. */
    Fetch merge(Fetch earlier) {
      if (earlier == null) return this;
      return new Fetch(Math.max(requests, earlier.requests), Math.max(sent, earlier.sent), size, complete || earlier.complete, inFlight);
    }
  }

  private final ServerApi server;
  private final ServerApi.Ticket ticket;
  private final ServerApi.Image image;
  private Fetch seen;

  FetchProof(ServerApi server, ServerApi.Ticket ticket, ServerApi.Image image) {
    this.server = server;
    this.ticket = ticket;
    this.image = image;
  }

  /** The record now, merged with what was seen before. */
  Fetch read() {
    seen = parse(server.downloads(image.path(), ticket.session()), ticket, image).merge(seen);
    return seen;
  }

  /** The record once nothing is in flight: a BMC that cut its fetch may end its task before the server sees the cut. */
  Fetch settled(Duration step, int attempts) {
    Fetch fetch = read();
    for (int i = 0; i < attempts && fetch.inFlight(); i++) {
      Pause.sleep(step);
      fetch = read();
    }
    return fetch;
  }

  /** This ticket's downloads in a {@code /api/downloads} answer: by session when it has one, else by the BMC's address. */
  static Fetch parse(JsonNode answer, ServerApi.Ticket ticket, ServerApi.Image image) {
    int requests = 0;
    long sent = 0;
    long rangedSent = 0;
    boolean complete = false;
    boolean inFlight = false;
    for (JsonNode d : answer.path("downloads")) {
      boolean ours = ticket.session() != null ? ticket.session().equals(d.path("session").asText(null))
          : ticket.client().equals(d.path("client").asText());
      if (!ours) continue;
      requests++;
      sent = Math.max(sent, d.path("sent").asLong());
      String result = d.path("result").asText();
      complete |= result.equals("complete") && d.path("sent").asLong() >= image.size();
      if (result.equals("complete")) rangedSent += d.path("sent").asLong();
      inFlight |= result.equals("in_flight");
    }
    // A BMC that fetches in ranges completes no single response; its completed ranges together cover the image.
    complete |= rangedSent >= image.size() && image.size() > 0;
    return new Fetch(requests, Math.max(sent, Math.min(rangedSent, image.size())), image.size(), complete, inFlight);
  }
}
