package dev.lifeboat.notify;

import dev.lifeboat.LifeboatEvent;
import dev.lifeboat.LifeboatEvent.Data;
import dev.lifeboat.Redactor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One line a person reads in Slack or a heartbeat log: what happened, to which database, with which snapshot. */
final class Summary {
  private Summary() {}

  static String of(String type, LifeboatEvent e) {
    StringBuilder s = new StringBuilder(type);
    if (e.database() != null) {
      s.append(" · database ").append(e.database());
    }
    if (e.snapshotId() != null) {
      s.append(" · snapshot ").append(e.snapshotId());
    }
    if (e.target() != null) {
      s.append(" · target ").append(e.target());
    }
    List<String> facts = new ArrayList<>();
    if (e.data().get(Data.BYTES) instanceof Number n) {
      facts.add(bytes(n.longValue()));
    }
    if (e.data().get(Data.TABLES) instanceof Number n) {
      facts.add(n + (n.longValue() == 1 ? " table" : " tables"));
    }
    if (e.data().get(Data.ITEMS) instanceof Number n) {
      // A prune's items are the snapshots it deleted, every other operation's the rows it moved.
      facts.add("prune".equals(e.operation())
          ? n + (n.longValue() == 1 ? " snapshot deleted" : " snapshots deleted")
          : n + (n.longValue() == 1 ? " row" : " rows"));
    }
    if (e.data().get(Data.FAILED_CHECKS) instanceof Number n && n.longValue() > 0) {
      facts.add(n + (n.longValue() == 1 ? " failed check" : " failed checks"));
    }
    facts.add(String.format(Locale.ROOT, "%.1f s", e.elapsed().toMillis() / 1000.0));
    s.append(" · ").append(String.join(", ", facts));
    if (e.error() != null) {
      s.append(" · error: ").append(e.error());
    }
    return Redactor.redact(s.toString());
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
