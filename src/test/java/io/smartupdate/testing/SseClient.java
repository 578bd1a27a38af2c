package io.smartupdate.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Reads a text/event-stream on a background thread; events are taken with a bounded wait. */
public final class SseClient implements AutoCloseable {
  public record Event(String id, String event, String data) {}

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Thread reader;
  private final HttpResponse<InputStream> response;

  public SseClient(HttpClient client, URI uri, String lastEventId) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
    if (lastEventId != null) request.header("Last-Event-ID", lastEventId);
    response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    reader = new Thread(this::read, "sse-client");
    reader.setDaemon(true);
    reader.start();
  }

  public int status() {
    return response.statusCode();
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String id = null;
      String event = null;
      StringBuilder data = new StringBuilder();
      for (String line; (line = in.readLine()) != null; ) {
        if (line.isEmpty()) {
          if (data.length() > 0) events.add(new Event(id, event, data.toString()));
          id = null;
          event = null;
          data.setLength(0);
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        }
      }
    } catch (IOException e) {
      // closed
    }
  }

  /** Waits up to {@code seconds} for {@code count} events; returns what arrived. */
  public List<Event> take(int count, long seconds) throws InterruptedException {
    List<Event> taken = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (taken.size() < count) {
      Event e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (e == null) break;
      taken.add(e);
    }
    return taken;
  }

  /** Events that arrive within {@code millis}; for asserting that nothing more comes. */
  public List<Event> drain(long millis) throws InterruptedException {
    List<Event> taken = new ArrayList<>();
    Event e;
    while ((e = events.poll(millis, TimeUnit.MILLISECONDS)) != null) taken.add(e);
    return taken;
  }

  @Override
  public void close() throws IOException {
    response.body().close();
    reader.interrupt();
  }
}
