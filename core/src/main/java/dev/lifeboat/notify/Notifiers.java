package dev.lifeboat.notify;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.LifeboatListener;
import dev.lifeboat.Redactor;
import dev.lifeboat.spi.SecretResolver;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the listeners that tell the outside world about operations: webhooks, Slack messages and
 * heartbeats. Register them on the builder:
 *
 * <pre>{@code
 * Lifeboat.builder()
 *     .listener(Notifiers.notifier("https://hooks.example.com/lifeboat", SecretResolver.ENVIRONMENT))
 *     .listener(Notifiers.heartbeat("https://hc-ping.com/<uuid>"))
 *     .build();
 * }</pre>
 *
 * <p>A notification or ping that cannot be delivered never changes an operation's outcome: it is
 * handed to the {@code failures} handler (by default logged as a warning naming the URL's host
 * only). Every URL given here is registered with {@link Redactor}, since a webhook URL is itself
 * a credential.
 */
public final class Notifiers {
  /** The secret that signs webhooks ({@code whsec_<base64>}); without it webhooks go unsigned. */
  public static final String WEBHOOK_SECRET = "LIFEBOAT_WEBHOOK_SECRET";
  private static final Logger LOG = LoggerFactory.getLogger(Notifiers.class);
  /** Logs a failed delivery as one warning. */
  public static final Consumer<DeliveryFailure> LOG_FAILURES = f -> LOG.warn("Lifeboat {}", f.describe());

  private Notifiers() {}

  /**
   * The notifier a URL asks for: {@code slack:URL} or any URL on {@code hooks.slack.com} posts
   * Slack messages, any other {@code http(s)} URL Standard Webhooks signed with
   * {@value #WEBHOOK_SECRET} from {@code secrets} (when set).
   *
   * @throws LifeboatException {@link ErrorCode#CONFIGURATION} for another kind of URL or a malformed secret
   */
  public static LifeboatListener notifier(String url, SecretResolver secrets, Consumer<DeliveryFailure> failures) {
    String text = url == null ? "" : url.strip();
    if (text.toLowerCase(Locale.ROOT).startsWith("slack:")) {
      return slack(text.substring("slack:".length()), failures);
    }
    URI uri = httpUrl(text, "--notify");
    if ("hooks.slack.com".equalsIgnoreCase(uri.getHost())) {
      return slack(text, failures);
    }
    return webhook(text, secrets, failures);
  }

  /** {@link #notifier(String, SecretResolver, Consumer)}, logging failed deliveries. */
  public static LifeboatListener notifier(String url, SecretResolver secrets) {
    return notifier(url, secrets, LOG_FAILURES);
  }

  /** {@link #notifier(String, SecretResolver, Consumer)} with secrets from the process environment. */
  public static LifeboatListener forUrl(String url, Consumer<DeliveryFailure> failures) {
    return notifier(url, SecretResolver.ENVIRONMENT, failures);
  }

  /** A Standard Webhooks notifier for an {@code http(s)} URL, signed when {@code secrets} has {@value #WEBHOOK_SECRET}. */
  public static WebhookNotifier webhook(String url, SecretResolver secrets, Consumer<DeliveryFailure> failures) {
    URI uri = httpUrl(url, "--notify");
    WebhookSignature signature = secrets.resolve(WEBHOOK_SECRET).filter(s -> !s.isBlank()).map(s -> {
      Redactor.register(s);
      return WebhookSignature.of(s);
    }).orElse(null);
    return new WebhookNotifier(uri, signature, Delivery.standard(), Clock.systemUTC(), failures);
  }

  /** A Slack incoming-webhook notifier. */
  public static SlackNotifier slack(String url, Consumer<DeliveryFailure> failures) {
    return new SlackNotifier(httpUrl(url, "slack:"), Delivery.standard(), failures);
  }

  /** A healthchecks.io-style heartbeat ({@code URL/start}, {@code URL}, {@code URL/fail}). */
  public static Heartbeat heartbeat(String url, Consumer<DeliveryFailure> failures) {
    return new Heartbeat(httpUrl(url, "--heartbeat"), Delivery.standard(), failures);
  }

  /** {@link #heartbeat(String, Consumer)}, logging failed pings. */
  public static Heartbeat heartbeat(String url) {
    return heartbeat(url, LOG_FAILURES);
  }

  static URI httpUrl(String url, String what) {
    String text = url == null ? "" : url.strip();
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      uri = null;
    }
    String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new LifeboatException(ErrorCode.CONFIGURATION,
          what + " needs an http:// or https:// URL with a host (for Slack: slack:https://hooks.slack.com/services/...)");
    }
    // The path and query of a webhook or ping URL are its credential: never print them.
    Redactor.register(text);
    return uri;
  }
}
