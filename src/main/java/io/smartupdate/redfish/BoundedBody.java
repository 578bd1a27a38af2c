package io.smartupdate.redfish;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** A response body read as UTF-8 text up to a limit: a BMC that streams without end is cut off, not buffered whole. */
final class BoundedBody implements HttpResponse.BodySubscriber<String> {
  /** The body went past the limit; the exchange was cancelled. */
  static final class TooLarge extends IOException {
    TooLarge(int limit) {
      super("response body larger than " + limit + " bytes", null);
    }
  }

  private final CompletableFuture<String> result = new CompletableFuture<>();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final int limit;
  private Flow.Subscription subscription;

  private BoundedBody(int limit) {
    this.limit = limit;
  }

  /** A handler for one exchange that remembers whether its body went past the limit (HTTP/2 reports the cancel as a stream reset). */
  static final class Handler implements HttpResponse.BodyHandler<String> {
    private final int limit;
    private volatile BoundedBody body;

    Handler(int limit) {
      this.limit = limit;
    }

    @Override
    public HttpResponse.BodySubscriber<String> apply(HttpResponse.ResponseInfo info) {
      body = new BoundedBody(limit);
      return body;
    }

    boolean exceeded() {
      BoundedBody seen = body;
      return seen != null && seen.exceeded;
    }
  }

  private volatile boolean exceeded;

  @Override
  public CompletionStage<String> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) return;
    for (ByteBuffer item : items) {
      if (bytes.size() + item.remaining() > limit) {
        exceeded = true;
        result.completeExceptionally(new TooLarge(limit));
        subscription.cancel();
        return;
      }
      byte[] chunk = new byte[item.remaining()];
      item.get(chunk);
      bytes.writeBytes(chunk);
    }
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    result.complete(bytes.toString(StandardCharsets.UTF_8));
  }
}
