package dev.lifeboat.mongo.archive;

import dev.lifeboat.InventoryItem;
import dev.lifeboat.Manifest;
import java.util.List;

/** The manifest items a verification covers: the source database's, narrowed to the restored tables. */
public final class Selection {
  private Selection() {}

  /** The snapshot's source database: the fingerprint's, else the first item's. */
  public static String database(Manifest manifest) {
    if (manifest.source() != null && manifest.source().database() != null) {
      return manifest.source().database();
    }
    return manifest.inventory().items().stream().map(InventoryItem::namespace).findFirst().orElse("");
  }

  /** Every item of the source database. */
  public static List<InventoryItem> all(Manifest manifest) {
    String db = database(manifest);
    return manifest.inventory().items().stream().filter(i -> db.equals(i.namespace()) || i.namespace() == null).toList();
  }

  /** The items of the source database whose names match {@code tables} (names or patterns; all when empty). */
  public static List<InventoryItem> items(Manifest manifest, List<String> tables) {
    if (tables == null || tables.isEmpty()) {
      return all(manifest);
    }
    List<java.util.regex.Pattern> patterns = tables.stream().map(CollectionNames::glob).toList();
    return all(manifest).stream().filter(i -> patterns.stream().anyMatch(p -> p.matcher(i.name()).matches())).toList();
  }
}
