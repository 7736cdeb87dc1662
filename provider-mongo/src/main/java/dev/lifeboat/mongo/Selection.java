package dev.lifeboat.mongo;

import dev.lifeboat.InventoryItem;
import dev.lifeboat.Manifest;
import java.util.List;

/** The manifest items a verification covers: the source database's, narrowed to the restored tables. */
final class Selection {
  private Selection() {}

  static String database(Manifest manifest) {
    if (manifest.source() != null && manifest.source().database() != null) {
      return manifest.source().database();
    }
    return manifest.inventory().items().stream().map(InventoryItem::namespace).findFirst().orElse("");
  }

  static List<InventoryItem> all(Manifest manifest) {
    String db = database(manifest);
    return manifest.inventory().items().stream().filter(i -> db.equals(i.namespace()) || i.namespace() == null).toList();
  }

  static List<InventoryItem> items(Manifest manifest, List<String> tables) {
    if (tables == null || tables.isEmpty()) {
      return all(manifest);
    }
    List<java.util.regex.Pattern> patterns = tables.stream().map(MongoBackupSource::glob).toList();
    return all(manifest).stream().filter(i -> patterns.stream().anyMatch(p -> p.matcher(i.name()).matches())).toList();
  }
}
