package dev.lifeboat.notify;

/**
 * A notification or heartbeat that did not arrive. It never changes the operation's outcome; the
 * command line prints it on standard error, a library gives a handler to {@link Notifiers}.
 *
 * @param channel {@code webhook}, {@code slack} or {@code heartbeat}
 * @param host the receiving URL's host only (the rest of a webhook URL is often a secret)
 * @param what the event type or ping ({@code backup.failed}, {@code start}, {@code fail})
 * @param reason why, e.g. {@code HTTP 410 (not retried)} or {@code connection refused after 3 attempts}
 */
public record DeliveryFailure(String channel, String host, String what, String reason) {
  /** One line for a person: {@code notification backup.succeeded to hooks.slack.com failed: HTTP 410 (not retried)}. */
  public String describe() {
    String kind = "heartbeat".equals(channel) ? "heartbeat ping " + what : channel + " notification " + what;
    return kind + " to " + host + " failed: " + reason;
  }
}
