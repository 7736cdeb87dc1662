package dev.lifeboat.mongo;

import dev.lifeboat.InventoryItem;
import dev.lifeboat.mongo.archive.CollectionMetadata;
import dev.lifeboat.mongo.archive.Namespace;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * One collection, view or time series of a source as listCollections and listIndexes describe it.
 *
 * @param db the database
 * @param name the collection name
 * @param type {@code collection}, {@code view} or {@code timeseries}
 * @param options the listCollections options
 * @param indexes the listIndexes documents (empty for views)
 * @param uuidHex the collection UUID as 32 lower-case hex digits, or {@code ""}
 * @param dataCollection the collection its documents are read from ({@code system.buckets.X} for a
 *     time series), or {@code null} for a view
 */
record CollectionSpec(String db, String name, String type, BsonDocument options, List<BsonDocument> indexes,
    String uuidHex, String dataCollection) {

  CollectionSpec {
    indexes = List.copyOf(indexes);
  }

  boolean isView() {
    return CollectionMetadata.VIEW.equals(type);
  }

  /** The prelude entry for this collection. */
  CollectionMetadata metadata() {
    return CollectionMetadata.of(db, name, type, options, indexes, uuidHex);
  }

  /** The namespace its documents are written under. */
  Namespace dataNamespace() {
    return new Namespace(db, dataCollection == null ? name : dataCollection);
  }

  List<String> indexNames() {
    return indexes.stream().filter(i -> i.isString("name")).map(i -> i.getString("name").getValue()).toList();
  }

  /** The manifest entry with {@code count} documents (ignored for views, which count -1). */
  InventoryItem inventoryItem(long count) {
    Map<String, Object> opts = new LinkedHashMap<>();
    if (!options.isEmpty()) {
      opts.put("options", JsonValues.toPlain(options));
    }
    if (!indexes.isEmpty()) {
      opts.put("indexSpecs", JsonValues.toPlain(new BsonArray(List.<BsonValue>copyOf(indexes))));
    }
    if (!uuidHex.isEmpty()) {
      opts.put("uuid", uuidHex);
    }
    if (dataCollection != null && !dataCollection.equals(name)) {
      opts.put("dataCollection", dataCollection);
    }
    return new InventoryItem(db, name, type, isView() ? -1 : count, List.of(), indexNames(), opts);
  }
}
