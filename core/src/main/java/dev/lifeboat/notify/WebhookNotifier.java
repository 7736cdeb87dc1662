package dev.lifeboat.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lifeboat.Json;
import dev.lifeboat.LifeboatEvent;
import dev.lifeboat.LifeboatListener;
import dev.lifeboat.Redactor;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Posts each finished operation to an {@code http(s)} URL in the Standard Webhooks shape
 * {@code {"type", "timestamp", "data"}} with the headers {@code webhook-id} (the run id and the
 * type: the same on every retry, so a receiver can drop duplicates), {@code webhook-timestamp}
 * (this attempt) and, when a secret is configured, {@code webhook-signature}. Build one with
 * {@link Notifiers}.
 */
public final class WebhookNotifier implements LifeboatListener {
  private static final ObjectWriter COMPACT = Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);
  private final URI url;
  private final WebhookSignature signature;
  private final Delivery delivery;
  private final Clock clock;
  private final Consumer<DeliveryFailure> failures;

  WebhookNotifier(URI url, WebhookSignature signature, Delivery delivery, Clock clock, Consumer<DeliveryFailure> failures) {
    this.url = url;
    this.signature = signature;
    this.delivery = delivery;
    this.clock = clock;
    this.failures = failures;
  }

  @Override
  public void onEvent(LifeboatEvent event) {
    EventTypes.of(event).ifPresent(type -> deliver(type, event));
  }

  private void deliver(String type, LifeboatEvent event) {
    String id = "msg_" + event.runId() + "_" + type;
    String body = body(type, event);
    Delivery.Outcome outcome = delivery.send(attempt -> {
      long timestamp = clock.instant().getEpochSecond();
      HttpRequest.Builder request = Delivery.request(url)
          .header("Content-Type", "application/json")
          .header("webhook-id", id)
          .header("webhook-timestamp", Long.toString(timestamp))
          .POST(HttpRequest.BodyPublishers.ofString(body));
      if (signature != null) {
        request.header("webhook-signature", signature.sign(id, timestamp, body));
      }
      return request.build();
    });
    if (!outcome.delivered()) {
      failures.accept(new DeliveryFailure("webhook", url.getHost(), type, outcome.failure()));
    }
  }

  /** The JSON body: secrets were removed from the event's fields, and the whole text is redacted once more. */
  static String body(String type, LifeboatEvent e) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("runId", e.runId());
    data.put("operation", e.operation());
    put(data, "snapshotId", e.snapshotId());
    put(data, "database", e.database());
    put(data, "target", e.target());
    data.put("startedAt", DateTimeFormatter.ISO_INSTANT.format(e.at().minus(e.elapsed())));
    data.put("durationMs", e.elapsed().toMillis());
    data.putAll(e.data());
    put(data, "error", e.error());
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("type", type);
    payload.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(e.at()));
    payload.put("data", data);
    try {
      return Redactor.redact(COMPACT.writeValueAsString(payload));
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("Cannot serialise a notification", ex);
    }
  }

  private static void put(Map<String, Object> data, String key, String value) {
    if (value != null) {
      data.put(key, value);
    }
  }
}
