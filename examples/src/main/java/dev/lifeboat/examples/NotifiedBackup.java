package dev.lifeboat.examples;

import dev.lifeboat.LifeboatBuilder;
import dev.lifeboat.BackupRequest;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Location;
import dev.lifeboat.Snapshot;
import dev.lifeboat.notify.DeliveryFailure;
import dev.lifeboat.notify.Notifiers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backup that tells the team: a signed webhook or a Slack message when it ends, and a heartbeat
 * so that a monitoring service notices the night it did not run at all.
 *
 * <pre>{@code
 * // LIFEBOAT_WEBHOOK_SECRET=whsec_... signs the webhooks
 * java dev.lifeboat.examples.NotifiedBackup postgresql://app@db/shop file:/backups \
 *     https://hooks.example.com/lifeboat https://hc-ping.com/<uuid>
 * }</pre>
 *
 * <p>A notification that cannot be delivered is logged with the receiving host and changes
 * nothing: the backup's outcome is what the job reports.
 */
public final class NotifiedBackup {
  private static final Logger LOG = LoggerFactory.getLogger(NotifiedBackup.class);

  private NotifiedBackup() {}

  /**
   * Backs up {@code source} into {@code target}, notifying {@code notifyUrl} (a webhook, or
   * {@code slack:URL}) and pinging {@code heartbeatUrl} (either may be {@code null}).
   *
   * @param failures hears every notification or ping that did not arrive
   */
  public static Snapshot backup(String source, String target, String notifyUrl, String heartbeatUrl,
      Consumer<DeliveryFailure> failures) {
    LifeboatBuilder builder = Lifeboat.builder();
    if (notifyUrl != null) {
      builder.listener(Notifiers.forUrl(notifyUrl, failures));
    }
    if (heartbeatUrl != null) {
      builder.listener(Notifiers.heartbeat(heartbeatUrl, failures));
    }
    try (Lifeboat lifeboat = builder.build()) {
      return lifeboat.backup(BackupRequest.builder(source, target).label("reason", "nightly").build());
    }
  }

  /** Arguments: source, target, notify URL, heartbeat URL; without a source, an embedded sample database. */
  public static void main(String[] args) {
    List<String> a = new ArrayList<>(List.of(args));
    SampleDatabase sample = a.isEmpty() ? SampleDatabase.start("bank", 500) : null;
    try {
      String source = sample != null ? sample.uri() : a.get(0);
      String target = a.size() > 1 ? a.get(1) : Location.of(Path.of("notified-backups")).raw();
      Snapshot s = backup(source, target, a.size() > 2 ? a.get(2) : null, a.size() > 3 ? a.get(3) : null,
          f -> LOG.warn("{}", f.describe()));
      System.out.println(s.id());
    } finally {
      if (sample != null) {
        sample.close();
      }
    }
  }
}
