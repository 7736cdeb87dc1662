package dev.lifeboat.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lifeboat.Json;
import dev.lifeboat.LifeboatEvent;
import dev.lifeboat.LifeboatListener;
import dev.lifeboat.Redactor;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Posts each finished operation to a Slack incoming webhook as {@code {"text": ...}}: the event,
 * the database (secrets removed) and the snapshot id. Build one with {@link Notifiers}.
 */
public final class SlackNotifier implements LifeboatListener {
  private final URI url;
  private final Delivery delivery;
  private final Consumer<DeliveryFailure> failures;

  SlackNotifier(URI url, Delivery delivery, Consumer<DeliveryFailure> failures) {
    this.url = url;
    this.delivery = delivery;
    this.failures = failures;
  }

  @Override
  public void onEvent(LifeboatEvent event) {
    EventTypes.of(event).ifPresent(type -> {
      String body = body(type, event);
      Delivery.Outcome outcome = delivery.send(attempt -> Delivery.request(url)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body))
          .build());
      if (!outcome.delivered()) {
        failures.accept(new DeliveryFailure("slack", url.getHost(), type, outcome.failure()));
      }
    });
  }

  static String body(String type, LifeboatEvent event) {
    String mark = EventTypes.isSuccess(event) ? "✅" : "❌";
    String text = mark + " Lifeboat " + escape(Summary.of(type, event));
    try {
      return Redactor.redact(Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(Map.of("text", text)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise a Slack message", e);
    }
  }

  // Slack reads &, < and > as markup (links, mentions); everything else is plain text.
  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
