package dev.lifeboat.notify;

import dev.lifeboat.LifeboatEvent;
import dev.lifeboat.LifeboatEvent.Phase;
import dev.lifeboat.LifeboatListener;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A dead man's switch in the healthchecks.io style: {@code URL/start} when an operation begins,
 * {@code URL} when it succeeds and {@code URL/fail} when it fails (a verification that did not
 * pass included), each with {@code ?rid=<run id>} so the service pairs start and end and measures
 * the run. The end ping's body is a one-line summary, cut from the front to the
 * {@code Ping-Body-Limit} the start ping's answer announced (errors sit at the end). The start
 * ping is sent in the background, so a slow service never holds the job up. Build one with
 * {@link Notifiers#heartbeat}.
 */
public final class Heartbeat implements LifeboatListener {
  /** The body limit when the service announced none (self-hosted healthchecks' default). */
  static final int DEFAULT_BODY_LIMIT = 10_000;
  private static final long START_WAIT_SECONDS = 15;

  private final URI url;
  private final Delivery delivery;
  private final Consumer<DeliveryFailure> failures;
  private final Map<String, CompletableFuture<Integer>> starts = new ConcurrentHashMap<>();
  // One daemon thread for start pings, ended when idle, so it neither keeps a JVM alive nor lingers.
  private final ExecutorService background = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "lifeboat-heartbeat");
        t.setDaemon(true);
        return t;
      });

  Heartbeat(URI url, Delivery delivery, Consumer<DeliveryFailure> failures) {
    this.url = url;
    this.delivery = delivery;
    this.failures = failures;
  }

  @Override
  public void onEvent(LifeboatEvent event) {
    if (event.phase() == Phase.STARTED) {
      starts.put(event.runId(), CompletableFuture.supplyAsync(() -> start(event), background));
      return;
    }
    int limit = bodyLimit(starts.remove(event.runId()));
    boolean success = EventTypes.isSuccess(event);
    String type = EventTypes.of(event).orElse(event.operation() + ".succeeded");
    String body = tail(Summary.of(type, event), limit);
    String ping = success ? "success" : "fail";
    Delivery.Outcome outcome = delivery.send(attempt -> Delivery.request(ping(success ? "" : "/fail", event.runId()))
        .header("Content-Type", "text/plain; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build());
    if (!outcome.delivered()) {
      failures.accept(new DeliveryFailure("heartbeat", url.getHost(), ping, outcome.failure()));
    }
  }

  /** Sends {@code /start}; answers the body limit the service announced. */
  private int start(LifeboatEvent event) {
    Delivery.Outcome outcome = delivery.send(attempt -> Delivery.request(ping("/start", event.runId()))
        .POST(HttpRequest.BodyPublishers.ofString(event.operation() + " started"))
        .build());
    if (!outcome.delivered()) {
      failures.accept(new DeliveryFailure("heartbeat", url.getHost(), "start", outcome.failure()));
      return DEFAULT_BODY_LIMIT;
    }
    return outcome.response().headers().firstValue("Ping-Body-Limit").map(v -> {
      try {
        return Math.max(0, Integer.parseInt(v.strip()));
      } catch (NumberFormatException e) {
        return DEFAULT_BODY_LIMIT;
      }
    }).orElse(DEFAULT_BODY_LIMIT);
  }

  // Waits for the start ping (so the service sees start before end), but never longer than one delivery may take.
  private static int bodyLimit(CompletableFuture<Integer> start) {
    if (start == null) {
      return DEFAULT_BODY_LIMIT;
    }
    try {
      return start.get(START_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DEFAULT_BODY_LIMIT;
    } catch (Exception e) {
      return DEFAULT_BODY_LIMIT;
    }
  }

  /** {@code URL + suffix}, keeping the URL's own query (e.g. {@code ?create=1}), plus {@code rid}. */
  URI ping(String suffix, String runId) {
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    if (path.endsWith("/") && !suffix.isEmpty()) {
      path = path.substring(0, path.length() - 1);
    }
    String query = url.getRawQuery() == null ? "" : url.getRawQuery() + "&";
    return URI.create(url.getScheme() + "://" + url.getRawAuthority() + path + suffix + "?" + query + "rid=" + runId);
  }

  /** The last {@code limit} bytes of {@code text} in UTF-8, never splitting a character. */
  static String tail(String text, int limit) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= limit) {
      return text;
    }
    ByteBuffer end = ByteBuffer.wrap(bytes, bytes.length - limit, limit);
    // Skip continuation bytes at the cut, so the tail starts on a whole character.
    while (end.hasRemaining() && (end.get(end.position()) & 0xC0) == 0x80) {
      end.position(end.position() + 1);
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    try {
      CharBuffer chars = decoder.decode(end);
      return chars.toString();
    } catch (CharacterCodingException e) {
      return "";
    }
  }
}
