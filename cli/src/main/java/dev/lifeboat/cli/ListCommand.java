package dev.lifeboat.cli;

import dev.lifeboat.Redactor;
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

/** {@code lifeboat list}: the snapshots of a target, oldest first, as a table or JSON. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "List the snapshots of a target, oldest first.")
final class ListCommand extends LifeboatSubcommand {
  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  @Option(names = "--target", required = true, paramLabel = "URI", description = "The snapshot target, e.g. file:/backups.")
  String target;

  @Option(names = "--json", description = "Print the snapshots (with their manifests) as a JSON array.")
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
      out().println("No snapshots in " + Redactor.redact(target) + ".");
      return LifeboatCli.OK;
    }
    out().print(table(snapshots).render());
    out().println(Summaries.count(snapshots.size(), "snapshot", "snapshots") + " in " + Redactor.redact(target));
    return LifeboatCli.OK;
  }

  static Table table(List<Snapshot> snapshots) {
    Table t = new Table("ID", "CREATED (UTC)", "FORMAT", "SIZE", "OBJECTS", "ROWS", "LABELS");
    for (Snapshot s : snapshots) {
      Manifest m = s.manifest();
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
