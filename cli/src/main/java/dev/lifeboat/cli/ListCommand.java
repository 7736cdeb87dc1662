package dev.lifeboat.cli;

import dev.lifeboat.Json;
import dev.lifeboat.Lifeboat;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.Snapshot;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lifeboat list}: the snapshots of a target, oldest first, as a table or JSON. Damaged
 * snapshots are shown as such, with the reason, never left out.
 */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {
        "List the snapshots of a target, oldest first.",
        "A damaged snapshot (its manifest unreadable or changed, its archive missing) is shown as DAMAGED with the "
            + "reason; it cannot be restored or verified, and 'latest' refuses to pass over it."
    })
final class ListCommand extends LifeboatSubcommand {
  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  @Option(names = "--target", required = true, paramLabel = "URI", description = "The snapshot target, e.g. file:/backups.")
  String target;

  @Option(names = "--json", description = "Print the snapshots (with their manifests) as a JSON array; "
      + "a damaged snapshot has a \"damaged\" field with the reason.")
  boolean json;

  @Override
  public Integer call() {
    List<Snapshot> snapshots;
    try (Lifeboat lifeboat = openLifeboat()) {
      snapshots = lifeboat.list(target);
    }
    if (json) {
      out().println(Json.write(snapshots));
      return LifeboatCli.OK;
    }
    if (snapshots.isEmpty()) {
      out().println("No snapshots in " + Summaries.location(target) + ".");
      return LifeboatCli.OK;
    }
    out().print(table(snapshots).render());
    List<Snapshot> damaged = snapshots.stream().filter(Snapshot::isDamaged).toList();
    for (Snapshot s : damaged) {
      out().println("DAMAGED " + s.id() + ": " + s.damage());
    }
    out().println(Summaries.count(snapshots.size(), "snapshot", "snapshots") + " in " + Summaries.location(target)
        + (damaged.isEmpty() ? "" : ", " + damaged.size() + " damaged (not restorable: restore another by its id, or delete)"));
    return LifeboatCli.OK;
  }

  static Table table(List<Snapshot> snapshots) {
    Table t = new Table("ID", "CREATED (UTC)", "FORMAT", "SIZE", "OBJECTS", "ROWS", "LABELS");
    for (Snapshot s : snapshots) {
      Manifest m = s.manifest();
      if (s.isDamaged()) {
        t.row(m.id(), time(m.createdAt()), "DAMAGED", "-", "-", "-", "-");
        continue;
      }
      t.row(m.id(), time(m.createdAt()), Summaries.format(m), Table.bytes(m.size()),
          Integer.toString(m.inventory().items().size()), Long.toString(m.inventory().totalCount()),
          m.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
    }
    return t;
  }

  static String time(Instant instant) {
    return instant == null ? "-" : UTC.format(instant);
  }
}
