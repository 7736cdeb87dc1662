package dev.lifeboat.mongo.archive;

import java.util.Map;

/**
 * A fully read and checked archive.
 *
 * @param prelude its prelude
 * @param namespaces every namespace of the body with its counts, in the order they reached EOF
 */
public record ArchiveSummary(ArchivePrelude prelude, Map<Namespace, NamespaceStats> namespaces) {
  public ArchiveSummary {
    namespaces = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(namespaces));
  }

  /** Documents in all namespaces. */
  public long totalDocuments() {
    return namespaces.values().stream().mapToLong(NamespaceStats::documents).sum();
  }
}
