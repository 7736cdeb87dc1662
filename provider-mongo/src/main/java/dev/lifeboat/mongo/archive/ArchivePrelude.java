package dev.lifeboat.mongo.archive;

import java.util.List;
import java.util.Optional;

/**
 * The prelude of a mongodump archive: its header and one entry per namespace.
 *
 * @param header the header document
 * @param entries the collection-metadata entries, in archive order
 */
public record ArchivePrelude(ArchiveHeader header, List<CollectionMetadata> entries) {
  public ArchivePrelude {
    entries = List.copyOf(entries);
  }

  /** The entry for {@code db.collection}, if listed. */
  public Optional<CollectionMetadata> entry(String db, String collection) {
    return entries.stream().filter(e -> e.db().equals(db) && e.collection().equals(collection)).findFirst();
  }

  /** The entries of one database, in archive order. */
  public List<CollectionMetadata> entries(String db) {
    return entries.stream().filter(e -> e.db().equals(db)).toList();
  }
}
