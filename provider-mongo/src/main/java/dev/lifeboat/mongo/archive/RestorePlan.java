package dev.lifeboat.mongo.archive;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Manifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which namespaces of an archive a restore loads: those of the snapshot's source database (or of
 * the archive's only user database), narrowed to the requested collections. Users, roles, the
 * oplog and other databases are read and checked but not loaded.
 *
 * @param sourceDb the database whose collections are restored
 * @param all every restorable entry of that database (views included), in archive order
 * @param selected the entries to restore
 * @param byDataNamespace the selected entries by the namespace their documents come under
 */
public record RestorePlan(String sourceDb, List<CollectionMetadata> all, List<CollectionMetadata> selected,
    Map<Namespace, CollectionMetadata> byDataNamespace) {

  private static final Set<String> NOT_USER_DATABASES = Set.of("", "admin", "local", "config");

  /**
   * The plan for restoring {@code tables} (collection names or {@code *}/{@code ?} patterns; all
   * when empty) of the archive whose prelude is {@code prelude}; a pattern that matches nothing is
   * {@code CONFIGURATION}.
   */
  public static RestorePlan of(ArchivePrelude prelude, Manifest manifest, List<String> tables) {
    String db = sourceDb(prelude, manifest);
    List<CollectionMetadata> all = prelude.entries(db).stream()
        .filter(e -> !CollectionNames.skipped(e.collection())).toList();
    List<CollectionMetadata> selected = new ArrayList<>();
    if (tables.isEmpty()) {
      selected.addAll(all);
    } else {
      for (String t : tables) {
        Pattern p = CollectionNames.glob(t);
        List<CollectionMetadata> matched = all.stream().filter(e -> p.matcher(e.collection()).matches()).toList();
        if (matched.isEmpty()) {
          throw new LifeboatException(ErrorCode.CONFIGURATION, "The snapshot holds no collection '" + t + "' in database "
              + db + ". It holds: " + String.join(", ", all.stream().map(CollectionMetadata::collection).toList()) + ".");
        }
        matched.stream().filter(m -> !selected.contains(m)).forEach(selected::add);
      }
    }
    Map<Namespace, CollectionMetadata> byData = new LinkedHashMap<>();
    String serverVersion = prelude.header().serverVersion();
    for (CollectionMetadata e : selected) {
      byData.put(e.dataNamespace(serverVersion), e);
      if (e.isTimeseries()) {
        byData.putIfAbsent(e.namespace(), e);
        byData.putIfAbsent(new Namespace(e.db(), Namespace.BUCKETS_PREFIX + e.collection()), e);
      }
    }
    return new RestorePlan(db, all, selected, byData);
  }

  private static String sourceDb(ArchivePrelude prelude, Manifest manifest) {
    String fromManifest = manifest.source() == null ? null : manifest.source().database();
    if (fromManifest != null && !prelude.entries(fromManifest).isEmpty()) {
      return fromManifest;
    }
    Set<String> dbs = new TreeSet<>();
    prelude.entries().stream().map(CollectionMetadata::db).filter(d -> !NOT_USER_DATABASES.contains(d)).forEach(dbs::add);
    if (dbs.size() == 1) {
      return dbs.iterator().next();
    }
    if (dbs.isEmpty() && fromManifest != null) {
      return fromManifest;
    }
    throw new LifeboatException(ErrorCode.UNSUPPORTED, "The archive holds " + dbs.size() + " databases " + dbs
        + " and Lifeboat restores one database at a time; the manifest names " + fromManifest
        + ". Back up each database separately.");
  }

  /** The names of the selected collections. */
  public List<String> selectedNames() {
    return selected.stream().map(CollectionMetadata::collection).toList();
  }

  /** Collection names of every restorable entry, for deterministic table naming. */
  public List<String> allNames() {
    return all.stream().map(CollectionMetadata::collection).toList();
  }
}
