package dev.lifeboat.mongo.archive;

/**
 * Receives an archive's body as {@link MongoArchiveReader} reads it. A namespace's documents are
 * handed over before its EOF block is read, so its CRC is known to match only once
 * {@link #endOfNamespace} is called.
 */
public interface ArchiveVisitor {
  /** Ignores everything (reading still checks the whole archive). */
  ArchiveVisitor NONE = new ArchiveVisitor() {};

  /**
   * Whether the documents of {@code ns} are wanted; when not, they are still read and checked but
   * not handed over.
   */
  default boolean wants(Namespace ns) {
    return true;
  }

  /** One document of {@code ns}: its exact bytes, owned by the visitor from now on. */
  default void document(Namespace ns, byte[] bson) {}

  /** {@code ns} reached its EOF block and its CRC matched. */
  default void endOfNamespace(Namespace ns, NamespaceStats stats) {}
}
