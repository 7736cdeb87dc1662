package dev.lifeboat.mongo;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Manifest;
import dev.lifeboat.spi.Archive;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Reads a whole stored archive through {@link MongoArchiveReader} and checks it against its manifest. */
final class ArchiveCheck {
  private ArchiveCheck() {}

  /**
   * Checks framing and every CRC, then that each counted collection of the manifest holds exactly
   * its recorded number of documents.
   *
   * @return a one-line description, e.g. {@code 3 namespaces, 1200 documents, CRC-64 checked}
   */
  static String check(Archive archive) {
    Manifest manifest = archive.manifest();
    ArchiveSummary summary;
    try (InputStream in = archive.open()) {
      summary = MongoArchiveReader.read(in, ArchiveVisitor.NONE);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.TARGET_FAILED, "Reading snapshot " + manifest.id() + " failed: " + e.getMessage(), e);
    }
    String serverVersion = summary.prelude().header().serverVersion();
    for (InventoryItem item : manifest.inventory().items()) {
      if (!item.counted()) {
        continue;
      }
      Optional<CollectionMetadata> entry = summary.prelude().entry(item.namespace() == null ? "" : item.namespace(), item.name());
      if (entry.isEmpty()) {
        throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH, "Snapshot " + manifest.id() + "'s manifest lists "
            + item.qualifiedName() + " but its archive does not. The snapshot is inconsistent; restore another one.");
      }
      NamespaceStats stats = summary.namespaces().get(entry.get().dataNamespace(serverVersion));
      long found = stats == null ? 0 : stats.documents();
      if (found != item.count()) {
        throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH, "Snapshot " + manifest.id() + "'s archive holds "
            + found + " documents of " + item.qualifiedName() + " but its manifest says " + item.count()
            + ". The snapshot is inconsistent; restore another one.");
      }
    }
    return summary.namespaces().size() + " namespaces, " + summary.totalDocuments() + " documents, CRC-64 checked";
  }
}
