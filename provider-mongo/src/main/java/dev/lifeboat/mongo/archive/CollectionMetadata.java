package dev.lifeboat.mongo.archive;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonParseException;
import org.bson.json.JsonWriterSettings;

/**
 * One collection-metadata entry of an archive's prelude: a collection, view or time series with
 * its metadata JSON (the same text mongodump writes to {@code <coll>.metadata.json}).
 *
 * @param db the database ({@code ""} for the oplog)
 * @param collection the collection name (for a time series, the view name {@code X})
 * @param metadataJson canonical Extended JSON with {@code options}, {@code indexes}, {@code uuid},
 *     {@code collectionName} and {@code type}; {@code ""} when the entry has none
 * @param type {@code collection}, {@code view}, {@code timeseries}, or {@code ""}
 */
public record CollectionMetadata(String db, String collection, String metadataJson, String type) {
  /** The type of a regular collection. */
  public static final String COLLECTION = "collection";
  /** The type of a view. */
  public static final String VIEW = "view";
  /** The type of a time-series collection. */
  public static final String TIMESERIES = "timeseries";

  private static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

  public CollectionMetadata {
    Objects.requireNonNull(db, "db");
    Objects.requireNonNull(collection, "collection");
    metadataJson = metadataJson == null ? "" : metadataJson;
    type = type == null ? "" : type;
  }

  /**
   * Builds an entry the way mongodump does: metadata JSON with the options (left out when empty),
   * the index specifications as listIndexes returned them, the UUID as 32 lower-case hex digits,
   * the collection name and the type.
   */
  public static CollectionMetadata of(String db, String collection, String type, BsonDocument options,
      List<BsonDocument> indexes, String uuidHex) {
    BsonDocument meta = new BsonDocument();
    if (options != null && !options.isEmpty()) {
      meta.put("options", options);
    }
    meta.put("indexes", new BsonArray(indexes == null ? List.of() : new ArrayList<BsonValue>(indexes)));
    if (uuidHex != null && !uuidHex.isEmpty()) {
      meta.put("uuid", new BsonString(uuidHex));
    }
    meta.put("collectionName", new BsonString(collection));
    if (type != null && !type.isEmpty()) {
      meta.put("type", new BsonString(type));
    }
    return new CollectionMetadata(db, collection, meta.toJson(CANONICAL), type);
  }

  /** The namespace of this entry. */
  public Namespace namespace() {
    return new Namespace(db, collection);
  }

  /**
   * The namespace its data is written under in an archive from a server of {@code serverVersion}:
   * a time series from servers before 8.3 keeps its buckets under {@code system.buckets.X}.
   */
  public Namespace dataNamespace(String serverVersion) {
    if (isTimeseries() && !ServerVersion.parse(serverVersion).atLeast(8, 3)) {
      return new Namespace(db, Namespace.BUCKETS_PREFIX + collection);
    }
    return namespace();
  }

  /** Whether this is a view (its namespace in the body is always empty). */
  public boolean isView() {
    return VIEW.equals(type) || metadata().map(m -> m.getDocument("options", new BsonDocument()).containsKey("viewOn")).orElse(false);
  }

  /** Whether this is a time-series collection. */
  public boolean isTimeseries() {
    return TIMESERIES.equals(type);
  }

  /** The kind for a manifest: {@code collection}, {@code view} or {@code timeseries}. */
  public String kind() {
    if (isView()) {
      return VIEW;
    }
    return isTimeseries() ? TIMESERIES : COLLECTION;
  }

  /**
   * The parsed metadata, or empty when the entry has none. Invalid JSON is an unreadable archive.
   */
  public Optional<BsonDocument> metadata() {
    if (metadataJson.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(BsonDocument.parse(metadataJson));
    } catch (JsonParseException | org.bson.BsonInvalidOperationException e) {
      throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH,
          "The archive's metadata for " + namespace() + " is not valid Extended JSON (" + e.getMessage()
              + "). The archive is damaged or was not written by mongodump or Lifeboat; restore another snapshot.", e);
    }
  }

  /** The collection options ({@code capped}, {@code validator}, {@code viewOn}, {@code timeseries}…). */
  public BsonDocument options() {
    return metadata().map(m -> m.getDocument("options", new BsonDocument())).orElseGet(BsonDocument::new);
  }

  /** The index specifications, as listIndexes returned them. */
  public List<BsonDocument> indexes() {
    List<BsonDocument> out = new ArrayList<>();
    metadata().ifPresent(m -> {
      for (BsonValue v : m.getArray("indexes", new BsonArray())) {
        if (v.isDocument()) {
          out.add(v.asDocument());
        }
      }
    });
    return out;
  }

  /** The index names, in listIndexes order. */
  public List<String> indexNames() {
    return indexes().stream().filter(i -> i.isString("name")).map(i -> i.getString("name").getValue()).toList();
  }
}
