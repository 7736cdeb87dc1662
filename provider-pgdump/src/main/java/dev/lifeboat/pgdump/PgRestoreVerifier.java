package dev.lifeboat.pgdump;

import dev.lifeboat.Check;
import dev.lifeboat.Column;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Expectation;
import dev.lifeboat.Formats;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.Verification;
import dev.lifeboat.postgres.PgCatalog;
import dev.lifeboat.postgres.PgConnections;
import dev.lifeboat.postgres.PgErrors;
import dev.lifeboat.postgres.PgExpectations;
import dev.lifeboat.postgres.PgLocation;
import dev.lifeboat.postgres.Sql;
import dev.lifeboat.postgres.Words;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreVerifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a PostgreSQL database restored from a {@code pg-custom} or {@code pg-directory} snapshot:
 * every table of the manifest exists with the same columns (names and types, in order) and
 * indexes, and holds exactly the manifest's row count; plus the user's expectations (SQL that must
 * be true, freshness of a timestamp column, no orphaned foreign-key rows). One check per fact. A
 * verification of the whole snapshot (no tables named) also fails on tables and views the
 * snapshot does not have ({@code unexpected objects}).
 */
public final class PgRestoreVerifier implements RestoreVerifier {
  private final ProviderContext context;

  /** A verifier that takes the destination's secrets from {@code context}. */
  public PgRestoreVerifier(ProviderContext context) {
    this.context = context;
  }

  @Override
  public boolean accepts(String format, Location destination) {
    return (format.equals(Formats.PG_CUSTOM) || format.equals(Formats.PG_DIRECTORY))
        && PgDumpProvider.SCHEMES.contains(destination.scheme());
  }

  /**
   * {@inheritDoc}
   *
   * <p>A destination that cannot be reached, refuses the credentials or does not exist is not a
   * failed check but a failed operation: it throws {@code CONNECTION} or {@code AUTHENTICATION}
   * (exit status 1), so that monitoring can tell an outage from a bad backup (exit status 3).
   * Every statement runs in read-only transactions; expectations run as one {@code SELECT}.
   */
  @Override
  public Verification verify(Manifest manifest, Location destination, List<String> tables, List<Expectation> expectations) {
    PgLocation info = PgLocation.parse(destination, context.secrets()).requireOneServer();
    List<Check> checks = new ArrayList<>();
    try (Connection c = PgConnections.openReadOnly(info)) {
      for (InventoryItem item : items(manifest, tables, checks)) {
        checkItem(c, item, checks, info);
      }
      if (tables.isEmpty()) {
        checks.add(unexpectedObjects(c, manifest, info));
      }
      checks.addAll(PgExpectations.evaluate(c, info, expectations, PgExpectations.TABLES));
    } catch (SQLException e) {
      throw PgErrors.map(e, info, "verifying snapshot " + manifest.id(), ErrorCode.CONNECTION);
    }
    return new Verification(manifest.id(), info.redacted(), checks);
  }

  /** Relations of the destination that the snapshot does not have: a full restore must not leave any behind. */
  private static Check unexpectedObjects(Connection c, Manifest manifest, PgLocation info) {
    String name = "unexpected objects";
    try {
      Set<String> expected = manifest.inventory().items().stream().map(InventoryItem::qualifiedName).collect(Collectors.toSet());
      List<String> extra = PgCatalog.relations(c).stream().filter(r -> !expected.contains(r.qualifiedName()))
          .map(r -> r.kind() + " " + r.qualifiedName()).toList();
      if (extra.isEmpty()) {
        return Check.passed(name, "none: every table and view is in the snapshot");
      }
      return Check.failed(name, Words.count(extra.size(), "object", "objects") + " the snapshot does not have: "
          + Words.firstOf(extra, 10));
    } catch (SQLException e) {
      PgErrors.throwIfOutage(e, info, "verifying");
      return Check.failed(name, "cannot list the destination's tables: " + PgErrors.reason(e, info));
    }
  }

  private static List<InventoryItem> items(Manifest manifest, List<String> tables, List<Check> checks) {
    if (tables.isEmpty()) {
      return manifest.inventory().items();
    }
    List<InventoryItem> out = new ArrayList<>();
    for (String t : tables) {
      String[] parts = Sql.splitQualified(t);
      String name = parts[0] == null ? parts[1] : parts[0] + "." + parts[1];
      Optional<InventoryItem> item = manifest.inventory().find(name);
      if (item.isPresent()) {
        out.add(item.get());
      } else {
        checks.add(Check.failed("exists " + t, "the snapshot's manifest has no table " + t));
      }
    }
    return out;
  }

  private static void checkItem(Connection c, InventoryItem item, List<Check> checks, PgLocation info) {
    String q = item.qualifiedName();
    try {
      Optional<PgCatalog.Relation> found = PgCatalog.find(c, item.namespace(), item.name());
      if (found.isEmpty()) {
        checks.add(Check.failed("exists " + q, item.kind() + " is missing"));
        return;
      }
      PgCatalog.Relation r = found.get();
      if (!r.kind().equals(item.kind())) {
        checks.add(Check.failed("exists " + q, "expected a " + item.kind() + ", found a " + r.kind()));
      } else {
        checks.add(Check.passed("exists " + q, item.kind()));
      }
      if (!item.columns().isEmpty()) {
        List<Column> actual = PgCatalog.columns(c, r.oid());
        if (actual.equals(item.columns())) {
          checks.add(Check.passed("columns " + q, Words.count(actual.size(), "column", "columns")));
        } else {
          checks.add(Check.failed("columns " + q, "expected " + describe(item.columns()) + ", found " + describe(actual)));
        }
      }
      if (!item.indexes().isEmpty()) {
        List<String> actual = PgCatalog.indexes(c, r.oid());
        List<String> missing = item.indexes().stream().filter(i -> !actual.contains(i)).toList();
        if (missing.isEmpty()) {
          checks.add(Check.passed("indexes " + q, Words.count(item.indexes().size(), "index", "indexes")));
        } else {
          checks.add(Check.failed("indexes " + q, "missing " + String.join(", ", missing)));
        }
      }
      if (item.counted()) {
        long count = r.counted() ? PgCatalog.count(c, r) : -1;
        String detail = "expected " + item.count() + ", found " + count;
        checks.add(count == item.count() ? Check.passed("count " + q, detail) : Check.failed("count " + q, detail));
      }
    } catch (SQLException e) {
      PgErrors.throwIfOutage(e, info, "verifying");
      checks.add(Check.failed("read " + q, PgErrors.reason(e, info)));
    }
  }

  private static String describe(List<Column> columns) {
    return columns.stream().map(col -> col.name() + " " + col.type()).collect(Collectors.joining(", ", "(", ")"));
  }

  @Override
  public String toString() {
    return "PgRestoreVerifier";
  }
}
