package io.smartupdate.auth;

import io.smartupdate.core.Lifecycle;
import io.smartupdate.core.RateLimitedLog;
import io.smartupdate.core.Threads;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens a running server checks writes against, re-read from their {@link Tokens} every
 * {@value #REFRESH_MILLIS} ms off the request path, so a rotation made anywhere (the CLI, another
 * server) takes effect here within a second. A failed read keeps the last tokens known.
 */
public final class LiveTokens implements Lifecycle, Supplier<TokenSet> {
  private static final Logger log = LoggerFactory.getLogger(LiveTokens.class);
  static final long REFRESH_MILLIS = 1000;

  private final Tokens source;
  private final RateLimitedLog failures = new RateLimitedLog(log, 60_000);
  private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(Threads.daemon("token-refresh"));
  private volatile TokenSet tokens;

  /** Reads the tokens once (throws IllegalStateException with a readable message when it cannot), then keeps them fresh. */
  public LiveTokens(Tokens source) {
    this.source = source;
    this.tokens = source.load();
    refresher.scheduleWithFixedDelay(this::refresh, REFRESH_MILLIS, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void refresh() {
    try {
      TokenSet fresh = source.load();
      if (!fresh.current().equals(tokens.current())) log.info("the write token was rotated ({})", source.where());
      tokens = fresh;
    } catch (RuntimeException e) {
      failures.warn("cannot re-read the write token from {}, still using the last one read: {}", source.where(), e.getMessage());
    }
  }

  @Override
  public TokenSet get() {
    return tokens;
  }

  /** Where the tokens are kept, for the start-up line. */
  public String where() {
    return source.where();
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    source.close();
  }
}
