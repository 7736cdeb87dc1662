package dev.lifeboat.cli;

import dev.lifeboat.LifeboatListener;
import dev.lifeboat.Redactor;
import dev.lifeboat.notify.DeliveryFailure;
import dev.lifeboat.notify.Notifiers;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * {@code --notify} and {@code --heartbeat}, shared by every command that runs an operation
 * ({@code @Mixin NotifyOptions notify;} and {@code openLifeboat(notify)}). A notification or ping
 * that cannot be delivered is one warning line on standard error naming the host; it never
 * changes the exit code.
 */
final class NotifyOptions {
  @Option(names = "--notify", paramLabel = "URL",
      description = {"Tell a webhook when the operation ends: an http(s) URL receives a Standard Webhooks JSON POST"
          + " (signed when LIFEBOAT_WEBHOOK_SECRET=whsec_... is set); slack:URL or a hooks.slack.com URL a Slack message."
          + " Repeatable."})
  List<String> notify = new ArrayList<>();

  @Option(names = "--heartbeat", paramLabel = "URL",
      description = "A dead man's switch (healthchecks.io style): pings URL/start when the operation begins,"
          + " URL when it succeeds and URL/fail when it fails.")
  String heartbeat;

  /** The listeners these options ask for; a malformed URL or webhook secret fails here, before any work (exit 2). */
  List<LifeboatListener> listeners(PrintWriter err) {
    Consumer<DeliveryFailure> warn = f -> {
      synchronized (err) {
        err.println("lifeboat: warning: " + Redactor.redact(f.describe()));
        err.flush();
      }
    };
    List<LifeboatListener> listeners = new ArrayList<>();
    notify.forEach(url -> listeners.add(Notifiers.forUrl(url, warn)));
    if (heartbeat != null) {
      listeners.add(Notifiers.heartbeat(heartbeat, warn));
    }
    return listeners;
  }
}
