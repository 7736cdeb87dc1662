package dev.lifeboat.mongo.archive;

import dev.lifeboat.ErrorCode;
import dev.lifeboat.InventoryItem;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Manifest;
import dev.lifeboat.spi.Archive;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.bson.BsonDocument;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonSerializationException;
import org.bson.RawBsonDocument;

/** Reads a whole stored archive through {@link MongoArchiveReader} and checks it against its manifest. */
final class ArchiveCheck {
  private ArchiveCheck() {}

  /**
   * What a restore runs first: framing and every CRC, then that each counted collection of the
   * manifest holds exactly its recorded number of documents. It reads the whole archive because
   * the MongoDB restorer inserts documents as it reads them: a bad block found mid-load would leave
   * half a restore behind.
   *
   * @return a one-line description, e.g. {@code 3 namespaces, 1200 documents, CRC-64 checked}
   */
  static String check(Archive archive) {
    ArchiveSummary summary = read(archive, ArchiveVisitor.NONE);
    return summary.namespaces().size() + " namespaces, " + summary.totalDocuments() + " documents, CRC-64 checked";
  }

  /**
   * What {@code verify} without a destination runs: everything {@link #check} does, and every
   * document of every namespace decoded as BSON, as a restore that loads it would, so that a
   * document the server or the JSONB encoder would reject is found without a destination.
   *
   * @return a one-line description, e.g. {@code 3 namespaces, 1200 documents (2202009 bytes), every document decoded, every block's CRC-64 checked}
   */
  static String readWhole(Archive archive) {
    ArchiveSummary summary = read(archive, new DecodingVisitor());
    long bytes = summary.namespaces().values().stream().mapToLong(NamespaceStats::bytes).sum();
    return summary.namespaces().size() + " namespaces, " + summary.totalDocuments() + " documents (" + bytes
        + " bytes), every document decoded, every block's CRC-64 checked";
  }

  private static ArchiveSummary read(Archive archive, ArchiveVisitor visitor) {
    Manifest manifest = archive.manifest();
    ArchiveSummary summary;
    try (InputStream in = archive.open()) {
      summary = MongoArchiveReader.read(in, visitor);
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
    return summary;
  }

  /** Decodes every document; one that is not valid BSON is an integrity failure naming where it is. */
  private static final class DecodingVisitor implements ArchiveVisitor {
    private final Map<Namespace, long[]> seen = new HashMap<>();

    @Override
    public void document(Namespace ns, byte[] bson) {
      long n = ++seen.computeIfAbsent(ns, k -> new long[1])[0];
      try {
        BsonDocument decoded = new RawBsonDocument(bson).toBsonDocument();
        decoded.size();
      } catch (BsonSerializationException | BsonInvalidOperationException | IllegalArgumentException
          | IllegalStateException | IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
        throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH, "Document " + n + " of " + ns + " is not valid BSON ("
            + e.getMessage() + "). The archive is corrupt; restore another snapshot.", e);
      }
    }
  }
}
