package io.smartupdate.redfish;

import io.smartupdate.core.Threads;
import java.net.http.HttpClient;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * The JDK HttpClients of deploy and analyze (BMCs and the server alike) run their completion work
 * on one small shared pool. Left alone, each client has its own unbounded cached pool, which grows
 * with the requests in flight: 64 BMCs at once took deploy to 264 threads (issue 22 §4 allows 100).
 * The callers block in {@code send}, not these threads: their work is short, so a few serve any
 * --parallel. An idle connection is also closed after {@link #KEEP_ALIVE_SECONDS} instead of the
 * JDK's 1,200 s: a BMC is polled every 5 s at most, and a finished BMC's connection (a TLS engine
 * and its buffers) is not kept for the rest of a 1,000-BMC run.
 * {@code -Dsmartupdate.httpclient.pool=jdk} gives back the JDK's defaults (bench-deploy's A/B).
 */
final class HttpClients {
  /** Threads of the shared pool. */
  static final int POOL = 4;
  /** Seconds an idle connection stays open, unless {@code jdk.httpclient.keepalive.timeout} is set. */
  static final int KEEP_ALIVE_SECONDS = 30;
  private static final boolean JDK_DEFAULTS = "jdk".equals(System.getProperty("smartupdate.httpclient.pool"));
  private static final Executor SHARED = JDK_DEFAULTS ? null : Executors.newFixedThreadPool(POOL, Threads.daemon("http-client"));

  static {
    // Read once by the JDK's connection pool, when the first client is built: this class builds deploy's first.
    if (!JDK_DEFAULTS && System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
      System.setProperty("jdk.httpclient.keepalive.timeout", String.valueOf(KEEP_ALIVE_SECONDS));
    }
  }

  private HttpClients() {}

  /** A client builder on the shared pool. */
  static HttpClient.Builder builder() {
    HttpClient.Builder builder = HttpClient.newBuilder();
    return SHARED == null ? builder : builder.executor(SHARED);
  }
}
