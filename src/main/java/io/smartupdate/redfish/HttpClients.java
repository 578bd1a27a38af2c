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
 * --parallel. {@code -Dsmartupdate.httpclient.pool=jdk} gives each client the JDK's pool again
 * (bench-deploy's A/B).
 */
final class HttpClients {
  /** Threads of the shared pool. */
  static final int POOL = 4;
  private static final Executor SHARED = "jdk".equals(System.getProperty("smartupdate.httpclient.pool"))
      ? null : Executors.newFixedThreadPool(POOL, Threads.daemon("http-client"));

  private HttpClients() {}

  /** A client builder on the shared pool. */
  static HttpClient.Builder builder() {
    HttpClient.Builder builder = HttpClient.newBuilder();
    return SHARED == null ? builder : builder.executor(SHARED);
  }
}
