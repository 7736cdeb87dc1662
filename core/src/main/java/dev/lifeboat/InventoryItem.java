package dev.lifeboat;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One table, view or collection of a source, with its exact row or document count.
 *
 * @param namespace the schema (PostgreSQL) or database (MongoDB)
 * @param name the table or collection name, unquoted
 * @param kind {@code table}, {@code partitioned-table}, {@code view}, {@code materialized-view},
 *     {@code collection}, {@code timeseries}
 * @param count exact rows or documents, or -1 where counting does not apply (views, parents of partitions)
 * @param columns columns in ordinal order (tables), empty for collections
 * @param indexes index names
 * @param options kind-specific details (collection options, view pipeline)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record InventoryItem(
    String namespace,
    String name,
    String kind,
    long count,
    List<Column> columns,
    List<String> indexes,
    Map<String, Object> options) {

  public InventoryItem {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    columns = columns == null ? List.of() : List.copyOf(columns);
    indexes = indexes == null ? List.of() : List.copyOf(indexes);
    options = options == null ? Map.of() : Map.copyOf(options);
  }

  /** A table or collection with a count and nothing else. */
  public static InventoryItem of(String namespace, String name, String kind, long count) {
    return new InventoryItem(namespace, name, kind, count, List.of(), List.of(), Map.of());
  }

  /** {@code namespace.name}, or just the name without a namespace. */
  public String qualifiedName() {
    return namespace == null || namespace.isEmpty() ? name : namespace + "." + name;
  }

  /** Whether this item holds rows that are counted (not a view or a partitioned parent). */
  public boolean counted() {
    return count >= 0;
  }
}
