package dev.lifeboat.mongo;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import dev.lifeboat.Check;
import dev.lifeboat.Durations;
import dev.lifeboat.ErrorCode;
import dev.lifeboat.Expectation;
import dev.lifeboat.Formats;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Location;
import dev.lifeboat.Manifest;
import dev.lifeboat.Verification;
import dev.lifeboat.mongo.archive.CollectionMetadata;
import dev.lifeboat.mongo.archive.Selection;
import dev.lifeboat.spi.ProviderContext;
import dev.lifeboat.spi.RestoreVerifier;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Checks a MongoDB database restored from a {@code mongo-archive}: every collection's document
 * count and index names equal the manifest's, and every view exists. Expectations: freshness
 * ({@code max(field)} of a date field within the RPO) is evaluated; foreign keys do not exist in
 * MongoDB, so that check passes with a note; SQL queries cannot be evaluated and fail. A
 * deployment that cannot be reached or refuses the login is a CONNECTION or AUTHENTICATION error
 * (exit 1), never a failed verification.
 */
final class MongoVerifier implements RestoreVerifier {
  private final ProviderContext context;

  MongoVerifier(ProviderContext context) {
    this.context = context;
  }

  @Override
  public boolean accepts(String format, Location destination) {
    return Formats.MONGO_ARCHIVE.equals(format) && MongoProvider.isMongo(destination);
  }

  @Override
  public Verification verify(Manifest manifest, Location destination, List<String> tables, List<Expectation> expectations) {
    MongoUri dest = MongoUri.parse(destination);
    List<Check> checks = new ArrayList<>();
    try (MongoClient client = dest.connect(context.secrets(), new MongoSettings(context, null).serverSelectionTimeoutMs())) {
      MongoDatabase db = client.getDatabase(dest.database());
      Set<String> present = new HashSet<>();
      db.listCollectionNames().into(new ArrayList<>()).forEach(present::add);
      List<InventoryItem> items = Selection.items(manifest, tables);
      if (present.isEmpty() && !items.isEmpty()) {
        // MongoDB has no empty databases: one without collections does not exist, most likely a
        // misspelt name. As for PostgreSQL, that is a verification that could not run (exit 1).
        throw new LifeboatException(ErrorCode.CONNECTION, "Database '" + dest.database() + "' does not exist at " + dest
            + " (it holds no collections), so there is nothing to verify. Check the name, or restore the snapshot into it first.");
      }
      for (InventoryItem item : items) {
        String name = item.name();
        if (CollectionMetadata.VIEW.equals(item.kind())) {
          checks.add(present.contains(name) ? Check.passed("view " + name, "exists")
              : Check.failed("view " + name, "missing from " + dest.database()));
          continue;
        }
        if (!present.contains(name)) {
          checks.add(Check.failed("count " + name, "collection missing from " + dest.database()));
          continue;
        }
        String dataCollection = item.options().getOrDefault("dataCollection", name).toString();
        long count = db.getCollection(dataCollection).countDocuments();
        checks.add(count == item.count() ? Check.passed("count " + name, count + " documents")
            : Check.failed("count " + name, "expected " + item.count() + ", found " + count));
        Set<String> actual = new TreeSet<>();
        for (BsonDocument idx : db.getCollection(name).listIndexes(BsonDocument.class)) {
          actual.add(idx.getString("name").getValue());
        }
        Set<String> expected = new TreeSet<>(item.indexes());
        checks.add(actual.equals(expected)
            ? Check.passed("indexes " + name, String.join(", ", actual))
            : Check.failed("indexes " + name, "expected " + expected + ", found " + actual));
      }
      for (Expectation e : expectations) {
        checks.add(expectation(db, e));
      }
    } catch (RuntimeException e) {
      // A verification that could not run is an operation failure (exit 1), never a failed check (3).
      throw MongoErrors.wrap(e, "Verifying snapshot " + manifest.id(), dest, ErrorCode.CONNECTION);
    }
    return new Verification(manifest.id(), dest.toString(), checks);
  }

  private Check expectation(MongoDatabase db, Expectation e) {
    if (e instanceof Expectation.FreshWithin f) {
      BsonDocument newest;
      try {
        newest = db.getCollection(f.table(), BsonDocument.class).find()
            .sort(Sorts.descending(f.column())).projection(Projections.include(f.column())).first();
      } catch (MongoCommandException ex) {
        if (ex.getErrorCode() == 13 || ex.getErrorCode() == 18) {
          throw ex;
        }
        // The server refused this query (a sort too large without an index, say): this check fails, the others stand.
        return Check.failed("fresh " + f.table() + "." + f.column(), "the freshness query failed: " + MongoErrors.text(ex));
      }
      BsonValue v = newest == null ? null : newest.get(f.column());
      Instant latest = v != null && v.isDateTime() ? Instant.ofEpochMilli(v.asDateTime().getValue()) : null;
      return fresh(f.table(), f.column(), latest, context.clock().instant(), f.maxAge());
    }
    if (e instanceof Expectation.NoOrphanedForeignKeys) {
      return Check.passed("no orphaned foreign keys", "MongoDB has no foreign keys");
    }
    Expectation.QueryIsTrue q = (Expectation.QueryIsTrue) e;
    return Check.failed(q.description(), "the MongoDB verifier cannot evaluate queries; check this against a JSONB standby or with your own test");
  }

  /** {@code fresh <table>.<column>}: passes when the newest value is at most {@code maxAge} old at {@code now}. */
  private static Check fresh(String table, String column, Instant latest, Instant now, Duration maxAge) {
    String name = "fresh " + table + "." + column;
    if (latest == null) {
      return Check.failed(name, "no date value in " + table + "." + column);
    }
    Duration age = Duration.between(latest, now);
    String shown = Durations.format(age.truncatedTo(ChronoUnit.SECONDS));
    return age.compareTo(maxAge) <= 0
        ? Check.passed(name, "newest " + latest + ", " + shown + " old")
        : Check.failed(name, "newest " + latest + " is " + shown + " old, more than " + Durations.format(maxAge));
  }
}
