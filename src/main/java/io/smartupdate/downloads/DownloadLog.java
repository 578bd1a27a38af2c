package io.smartupdate.downloads;

import io.smartupdate.core.Lifecycle;
import io.smartupdate.core.LiveFeed;
import io.smartupdate.core.Threads;
import io.smartupdate.http.ExchangeEnd;
import io.smartupdate.http.HttpFeature;
import io.smartupdate.http.Json;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ResponseCommitListener;
import io.undertow.util.AttachmentKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of firmware responses: those in flight and the most recent {@value #RECENT} that
 * ended. {@link #observe} puts it in front of the route table and {@link ExchangeEnd} tells it of
 * each end; a ticker publishes, a few times a
 * second, a snapshot of each download that moved and one of each that ended. With a
 * {@link DownloadShare} (servers on one PostgreSQL) the same snapshots go to the other servers,
 * and theirs are listed and published here beside this server's own.
 */
public final class DownloadLog implements Lifecycle, LiveFeed, ExchangeEnd.Observer, ResponseCommitListener {
  private static final Logger log = LoggerFactory.getLogger(DownloadLog.class);
  static final int RECENT = 1_000;
  static final int FOREIGN = 4 * RECENT;
  static final String PREFIX = "/firmware/";
  /** At most four progress events a second per download (the budget for a live view). */
  static final long TICK_MILLIS = 250;

  private final Clock clock;
  private final String server;
  private final AtomicLong ids = new AtomicLong();
  /** The exchange's record, for the commit listener and the end of the exchange. */
  private static final AttachmentKey<Download> DOWNLOAD = AttachmentKey.create(Download.class);
  private final Set<Download> active = ConcurrentHashMap.newKeySet();
  private final Deque<Download> recent = new ArrayDeque<>(); // guarded by itself; touched once per download
  /**
   * The last {@value #RECENT} that ended through a hand-off session, also in {@link #recent}: deploy's
   * proof of fetch looks a BMC's session up here, where a flood of other downloads (hosts, probes)
   * cannot push it out before it is read. Guarded by {@link #recent}.
   */
  private final Deque<Download> recentInSessions = new ArrayDeque<>();
  private final Queue<Download> endedSinceTick = new ConcurrentLinkedQueue<>();
  private final Set<Consumer<List<Item>>> subscribers = new CopyOnWriteArraySet<>();
  /** Other servers' latest snapshot of each of their downloads, oldest update first; guarded by itself. */
  private final Map<String, DownloadRecord> foreign = new LinkedHashMap<>();
  private final Queue<DownloadRecord> foreignSinceTick = new ConcurrentLinkedQueue<>();
  /** Other servers not heard from lately, with when they last were; guarded by foreign. */
  private final Map<String, Instant> silent = new HashMap<>();
  private volatile DownloadShare share;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(Threads.daemon("downloads-tick"));

  public DownloadLog(Clock clock) {
    this(clock, "local");
  }

  /** {@code server} names this server in the records it shares. */
  public DownloadLog(Clock clock, String server) {
    this.clock = clock;
    this.server = server;
    ticker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Records every {@code GET|HEAD /firmware/...} that passes through, whatever answers it. */
  public HttpHandler observe(HttpHandler next) {
    return exchange -> {
      if (isFirmware(exchange)) start(exchange);
      next.handleRequest(exchange);
    };
  }

  private static boolean isFirmware(HttpServerExchange exchange) {
    String method = exchange.getRequestMethod().toString();
    return (method.equals("GET") || method.equals("HEAD")) && exchange.getRelativePath().startsWith(PREFIX);
  }

  private void start(HttpServerExchange exchange) {
    Download download = new Download(ids.incrementAndGet(), exchange, clock.instant());
    active.add(download);
    exchange.putAttachment(DOWNLOAD, download);
    exchange.addResponseCommitListener(this);
  }

  /** The headers of a firmware response are going out. IO thread. */
  @Override
  public void beforeCommit(HttpServerExchange exchange) {
    Download download = exchange.getAttachment(DOWNLOAD);
    if (download != null) download.committed(exchange);
  }

  /** A request ended (through {@link ExchangeEnd}): a firmware response's record moves to the ended ones. IO thread. */
  @Override
  public void ended(HttpServerExchange exchange) {
    Download download = exchange.getAttachment(DOWNLOAD);
    if (download == null) return;
    download.ended(exchange, clock.instant());
    synchronized (recent) {
      recent.addFirst(download);
      if (recent.size() > RECENT) recent.removeLast();
      if (download.session() != null) {
        recentInSessions.addFirst(download);
        if (recentInSessions.size() > RECENT) recentInSessions.removeLast();
      }
    }
    active.remove(download);
    endedSinceTick.add(download);
  }

  /** Shares this server's records through {@code share} and takes in the other servers'. */
  public void share(DownloadShare share) {
    this.share = share;
    share.subscribe(new DownloadShare.Listener() {
      @Override
      public void received(List<DownloadRecord> records) {
        DownloadLog.this.received(records);
      }

      @Override
      public void silent(String server, Instant lastSeen) {
        DownloadLog.this.silent(server, lastSeen);
      }

      @Override
      public void heard(String server) {
        synchronized (foreign) {
          silent.remove(server);
        }
      }
    });
  }

  /** The downloads {@code server} had in flight are listed (and published) as interrupted: a dead server never ends them. */
  private void silent(String server, Instant lastSeen) {
    int interrupted = 0;
    synchronized (foreign) {
      silent.put(server, lastSeen);
      for (Map.Entry<String, DownloadRecord> e : foreign.entrySet()) {
        if (!e.getValue().server().equals(server) || !e.getValue().inFlight()) continue;
        e.setValue(e.getValue().interrupted(lastSeen));
        foreignSinceTick.add(e.getValue());
        interrupted++;
      }
    }
    if (interrupted > 0) {
      log.warn("server {} has not been heard from since {}; its {} downloads in flight are listed as interrupted", server, lastSeen,
          interrupted);
    }
  }

  private void received(List<DownloadRecord> records) {
    synchronized (foreign) {
      for (DownloadRecord record : records) {
        Instant lastSeen = record.inFlight() ? silent.get(record.server()) : null;
        DownloadRecord shown = lastSeen == null ? record.foreign() : record.foreign().interrupted(lastSeen);
        foreign.remove(shown.id());
        foreign.put(shown.id(), shown);
        foreignSinceTick.add(shown);
      }
      // Bounded like the ring: a fleet of servers keeps a few rings' worth of each other's downloads.
      var oldest = foreign.values().iterator();
      while (foreign.size() > FOREIGN && oldest.hasNext()) {
        oldest.next();
        oldest.remove();
      }
    }
  }

  /** This server's records not yet in the shared store (0 without one): the metrics' gauge. */
  public int unshared() {
    DownloadShare sharing = share;
    return sharing == null ? 0 : sharing.unshared();
  }

  /** Downloads in flight (the metrics' gauge). */
  public int inFlight() {
    return active.size();
  }

  /**
   * In flight first (oldest first), then ended ones (newest first), filtered.
   *
   * @param activeOnly true: in flight only; false: ended only; null: both
   * @param path a path prefix, or null
   * @param client a client address, or null
   * @param session a hand-off session id, or null
   */
  List<DownloadRecord> list(Boolean activeOnly, String path, String client, String session) {
    Predicate<DownloadRecord> wanted = d -> (path == null || d.path().startsWith(path)) && (client == null || d.client().equals(client))
        && (session == null || session.equals(d.session()));
    List<DownloadRecord> others;
    synchronized (foreign) {
      others = new ArrayList<>(foreign.values());
    }
    List<DownloadRecord> views = new ArrayList<>();
    if (activeOnly == null || activeOnly) {
      List<DownloadRecord> inFlight = new ArrayList<>();
      active.stream().filter(Download::inFlight).forEach(d -> inFlight.add(d.view(server)));
      others.stream().filter(DownloadRecord::inFlight).forEach(inFlight::add);
      inFlight.stream().filter(wanted).sorted(Comparator.comparing(DownloadRecord::started).thenComparing(DownloadRecord::id))
          .forEach(views::add);
    }
    if (activeOnly == null || !activeOnly) {
      List<DownloadRecord> ended = new ArrayList<>();
      synchronized (recent) {
        for (Download d : session == null ? recent : recentInSessions) ended.add(d.view(server));
      }
      if (!others.isEmpty()) {
        others.stream().filter(d -> !d.inFlight()).forEach(ended::add);
        ended.sort(Comparator.comparing(DownloadRecord::ended, Comparator.nullsLast(Comparator.reverseOrder())));
      }
      ended.stream().filter(wanted).forEach(views::add);
    }
    return views;
  }

  /** The {@code GET /api/downloads} route. */
  public HttpFeature feature() {
    return new DownloadsFeature(this);
  }

  @Override
  public Subscription subscribe(Consumer<List<Item>> batch) {
    subscribers.add(batch);
    return () -> subscribers.remove(batch);
  }

  /**
   * One publication: downloads whose byte count moved since the last, then those that ended (their
   * final snapshot), then what other servers reported since.
   */
  private void tick() {
    try {
      DownloadShare sharing = share;
      boolean listening = !subscribers.isEmpty();
      List<DownloadRecord> moved = new ArrayList<>();
      for (Download download : active) {
        long sent = download.sent();
        if (sent == download.published || !download.inFlight()) continue;
        download.published = sent;
        if (listening || sharing != null) moved.add(download.view(server));
      }
      for (Download download; (download = endedSinceTick.poll()) != null; ) {
        if (listening || sharing != null) moved.add(download.view(server));
      }
      if (sharing != null && !moved.isEmpty()) sharing.publish(List.copyOf(moved));
      List<Item> batch = new ArrayList<>();
      if (listening) moved.forEach(record -> batch.add(item(record)));
      for (DownloadRecord record; (record = foreignSinceTick.poll()) != null; ) {
        if (listening) batch.add(item(record));
      }
      if (batch.isEmpty()) return;
      List<Item> shared = List.copyOf(batch);
      for (Consumer<List<Item>> subscriber : subscribers) subscriber.accept(shared);
    } catch (RuntimeException e) {
      log.warn("download progress publication failed: {}", e.toString());
    }
  }

  private static Item item(DownloadRecord record) {
    return new Item("download", record.id(), new String(Json.bytes(record), StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    subscribers.clear();
    DownloadShare sharing = share;
    if (sharing != null) {
      try {
        ticker.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      tick(); // the downloads that ended since the last tick still reach the other servers
      sharing.close();
    }
  }
}
