package io.smartupdate.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.smartupdate.http.Attachments;
import io.smartupdate.http.ExchangeEnd;
import io.smartupdate.http.HttpFeature;
import io.smartupdate.status.StatusMetrics;
import io.undertow.server.HttpServerExchange;
import io.smartupdate.core.Threads;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The server's metrics, in one registry of its own (not the client's global default), so two
 * servers in one JVM, as in the tests, never share counters.
 *
 * <pre>curl http://host:63001/metrics</pre>
 */
public final class Metrics implements StatusMetrics, ExchangeEnd.Observer {
  /** The route label of requests answered before the route table (hand-off gate) or matching no route. */
  static final String NO_ROUTE = "none";
  private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final CounterDataPoint httpBytes;
  private final CounterDataPoint httpsBytes;
  private final Counter requests;
  private final Counter stored;
  private final Histogram commitSeconds;
  private final Histogram commitBatch;
  private final Counter tlsHandshakes;
  private final Counter tlsFailures;
  /** Each route template's data points by status class, filled as they are first used (a race fills one twice, harmlessly). */
  private final Map<String, CounterDataPoint[]> byRoute = new ConcurrentHashMap<>();
  /** The JVM collectors, registered off the start's path: the platform MXBeans and JMX take a few hundred ms to set up. */
  private final CompletableFuture<Void> jvm;

  public Metrics() {
    jvm = CompletableFuture.runAsync(() -> JvmMetrics.builder().register(registry),
            runnable -> Threads.daemon("jvm-metrics").newThread(runnable).start())
        .exceptionally(e -> {
          LoggerFactory.getLogger(Metrics.class).warn("the JVM's metrics are left out of /metrics: {}", e.toString());
          return null;
        });
    Counter bytes = Counter.builder().name("smartupdate_served").unit(Unit.BYTES)
        .help("Response bytes sent (bodies), counted when each response ends").labelNames("scheme").register(registry);
    httpBytes = bytes.labelValues("http");
    httpsBytes = bytes.labelValues("https");
    requests = Counter.builder().name("smartupdate_http_requests")
        .help("Responses by route template (never the raw path) and status class").labelNames("route", "status")
        .register(registry);
    stored = Counter.builder().name("smartupdate_status_events_stored")
        .help("Status events stored, by phase").labelNames("phase").register(registry);
    commitSeconds = Histogram.builder().name("smartupdate_status_commit").unit(Unit.SECONDS)
        .help("Time of one group commit (append and sync)").classicOnly()
        .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5).register(registry);
    commitBatch = Histogram.builder().name("smartupdate_status_commit_batch_size")
        .help("Status events stored by one group commit").classicOnly()
        .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096).register(registry);
    tlsHandshakes = Counter.builder().name("smartupdate_tls_handshakes")
        .help("TLS handshakes completed on the HTTPS and hand-off listeners").register(registry);
    tlsFailures = Counter.builder().name("smartupdate_tls_handshake_failures")
        .help("TLS connections (first byte a handshake record) closed before their handshake completed").register(registry);
  }

  /** Registers a gauge read at each scrape from {@code value} (downloads in flight, hand-off sessions, ...). */
  public void gauge(String name, String help, IntSupplier value) {
    GaugeWithCallback.builder().name(name).help(help).callback(callback -> callback.call(value.getAsInt())).register(registry);
  }

  /**
   * Registers a gauge with one label, read at each scrape: {@code values} maps each label value
   * (a bounded set, such as the analysis actions) to its value.
   */
  public void gauges(String name, String help, String label, Supplier<Map<String, Integer>> values) {
    GaugeWithCallback.builder().name(name).help(help).labelNames(label)
        .callback(callback -> values.get().forEach((value, count) -> callback.call(count, value))).register(registry);
  }

  /**
   * Counts a response by route and status class, and its bytes by scheme, when it ends (through
   * {@link ExchangeEnd}): once per request, nothing per write. The data point of each route and
   * class is looked up once, not per request.
   */
  @Override
  public void ended(HttpServerExchange exchange) {
    String attached = exchange.getAttachment(Attachments.ROUTE);
    String route = attached == null ? NO_ROUTE : attached;
    CounterDataPoint[] classes = byRoute.computeIfAbsent(route, r -> new CounterDataPoint[STATUS_CLASSES.length]);
    int index = statusIndex(exchange.getStatusCode());
    CounterDataPoint point = classes[index];
    if (point == null) classes[index] = point = requests.labelValues(route, STATUS_CLASSES[index]);
    point.inc();
    long bytes = exchange.getResponseBytesSent();
    if (bytes > 0) ("https".equals(exchange.getRequestScheme()) ? httpsBytes : httpBytes).inc(bytes);
  }

  /** The index in {@link #STATUS_CLASSES} of {@code status}'s class ({@code 2xx}), or of "other". */
  private static int statusIndex(int status) {
    return status >= 100 && status < 600 ? status / 100 - 1 : STATUS_CLASSES.length - 1;
  }

  public void tlsHandshake() {
    tlsHandshakes.inc();
  }

  public void tlsFailure() {
    tlsFailures.inc();
  }

  @Override
  public void committed(int events, long nanos) {
    commitSeconds.observe(Unit.nanosToSeconds(nanos));
    commitBatch.observe(events);
  }

  @Override
  public void stored(String phase) {
    stored.labelValues(phase).inc();
  }

  /** The {@code GET /metrics} route. */
  public HttpFeature feature() {
    return new MetricsFeature(registry, jvm);
  }
}
