package io.smartupdate.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.smartupdate.http.HttpFeature;
import io.smartupdate.http.Routes;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /metrics} in the Prometheus text format, written by the client's own writer. A
 * scrape runs the JVM collectors, so it runs on a worker thread; the first waits until they are
 * registered, so no scrape misses them.
 */
final class MetricsFeature implements HttpFeature {
  private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();
  private final PrometheusRegistry registry;
  private final CompletableFuture<Void> jvm;

  MetricsFeature(PrometheusRegistry registry, CompletableFuture<Void> jvm) {
    this.registry = registry;
    this.jvm = jvm;
  }

  @Override
  public void routing(Routes routes) {
    routes.addBlocking("GET", "/metrics", exchange -> {
      jvm.join();
      ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
      TEXT.write(body, registry.scrape());
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, TEXT.getContentType());
      exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
      exchange.getResponseSender().send(ByteBuffer.wrap(body.toByteArray()));
    });
  }
}
