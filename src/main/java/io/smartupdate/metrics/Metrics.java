package io.smartupdate.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.smartupdate.http.Attachments;
import io.smartupdate.http.HttpFeature;
import io.smartupdate.status.StatusMetrics;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The server's metrics, in one registry of its own (not the client's global default), so two
 * servers in one JVM, as in the tests, never share counters.
 *
 * <pre>curl http://host:63001/metrics</pre>
 */
public final class Metrics implements StatusMetrics {
  /** The route label of requests answered before the route table (hand-off gate) or matching no route. */
  static final String NO_ROUTE = "none";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final CounterDataPoint httpBytes;
  private final CounterDataPoint httpsBytes;
  private final Counter requests;
  private final Counter stored;
  private final Histogram commitSeconds;
  private final Histogram commitBatch;
  private final Counter tlsHandshakes;
  private final Counter tlsFailures;

  public Metrics() {
    JvmMetrics.builder().register(registry);
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
   * Counts every response by route and status class, and its bytes by scheme, when it ends: once
   * per request, nothing per write.
   */
  public HttpHandler observe(HttpHandler next) {
    return exchange -> {
      exchange.addExchangeCompleteListener((ex, proceed) -> {
        try {
          ended(ex);
        } finally {
          proceed.proceed();
        }
      });
      next.handleRequest(exchange);
    };
  }

  private void ended(HttpServerExchange exchange) {
    String route = exchange.getAttachment(Attachments.ROUTE);
    requests.labelValues(route == null ? NO_ROUTE : route, statusClass(exchange.getStatusCode())).inc();
    long bytes = exchange.getResponseBytesSent();
    if (bytes > 0) ("https".equals(exchange.getRequestScheme()) ? httpsBytes : httpBytes).inc(bytes);
  }

  static String statusClass(int status) {
    return status >= 100 && status < 600 ? status / 100 + "xx" : "other";
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
    return new MetricsFeature(registry);
  }
}
