package dev.lifeboat.notify;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read only as far as a notification needs it: nothing of a 2xx answer (its
 * status and headers say all), the first bytes of any other (Slack's one-word error). The
 * connection is let go as soon as that much has arrived, so an endpoint that answers with an
 * endless or dripping body can neither hold the job up nor fill its memory.
 */
final class CappedBody implements HttpResponse.BodySubscriber<String> {
  /** Enough for Slack's error words ({@code channel_is_archived}), which is all that is ever shown. */
  static final int ERROR_BYTES = 64;

  private final int limit;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final CompletableFuture<String> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  private CappedBody(int limit) {
    this.limit = limit;
  }

  /** Reads no body of a successful answer and at most {@value #ERROR_BYTES} bytes of any other. */
  static HttpResponse.BodyHandler<String> handler() {
    return info -> new CappedBody(info.statusCode() / 100 == 2 ? 0 : ERROR_BYTES);
  }

  @Override
  public CompletionStage<String> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    if (limit == 0) {
      finish();
    } else {
      subscription.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    for (ByteBuffer buffer : buffers) {
      int n = Math.min(buffer.remaining(), limit - bytes.size());
      byte[] chunk = new byte[n];
      buffer.get(chunk);
      bytes.write(chunk, 0, n);
    }
    if (bytes.size() >= limit) {
      finish();
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

  // Enough has arrived: stop reading (the client closes the connection) and answer what we have.
  private void finish() {
    if (result.complete(bytes.toString(StandardCharsets.UTF_8))) {
      subscription.cancel();
    }
  }
}
